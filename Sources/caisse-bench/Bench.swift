import ArgumentParser

@main
struct CaisseBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "caisse-bench",
        abstract: "Benchmarks and data generators for Caisse (build with -c release to measure).",
        subcommands: [PrepareRegister.self, RegisterBench.self, IngestBench.self, SyncBench.self, TuiBench.self, KeysBench.self, GenerateCatalog.self, GenerateDemoData.self, History.self, ReportBench.self, ReportLoop.self, Fleet.self, WireBench.self])
}
