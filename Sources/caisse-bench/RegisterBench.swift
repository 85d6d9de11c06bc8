import ArgumentParser
struct RegisterBench: ParsableCommand { func run() throws {} }
