import ArgumentParser
public struct Orrmeta: ParsableCommand { public init() {} }
