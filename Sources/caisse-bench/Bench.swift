import ArgumentParser

@main
struct CaisseBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "caisse-bench",
        abstract: "Benchmarks and data generators for Caisse (build with -c release to measure).",
        subcommands: [RegisterBench.self, GenerateCatalog.self, GenerateDemoData.self],
        defaultSubcommand: RegisterBench.self)
}
