// libFuzzer target for the scenario loaders (YAML scenario, entities CSV, bonds CSV). Built only
// with CREDITSIM_FUZZ=1 (see Package.swift and scripts/fuzz.sh); every input must either load or
// be refused with a ScenarioError: a crash, a trap or a hang is a finding.
import CreditScenario
import Foundation

private let folder: URL = {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("creditsim-fuzz-\(getpid())")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}()

private let scenario = """
    version: 1
    name: fuzz
    simulation: {paths: 1000, seed: 1}
    factors: [global]
    entities: entities.csv
    bonds: bonds.csv
    output: {quantiles: [0.9, 0.99]}

    """
private let entities = "id,name,sector,pd,global\na,Alpha,tech,0.03,0.4\ng,Guarantor,state,0.002,0.3\n"
private let bonds = "id,issuer,notional,maturity,lgd,guarantor,coverage\nb1,a,100,0.5,0.6,g,1\n"

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 { fuzz(data, size) }

func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 0 else { return 0 }
    // The first byte chooses which file the rest replaces.
    let body = Data(bytes: data + 1, count: size - 1)
    var files = ["s.yaml": Data(scenario.utf8), "entities.csv": Data(entities.utf8), "bonds.csv": Data(bonds.utf8)]
    switch data[0] % 3 {
    case 0: files["s.yaml"] = body
    case 1: files["entities.csv"] = body
    default: files["bonds.csv"] = body
    }
    for (name, contents) in files { try? contents.write(to: folder.appendingPathComponent(name)) }
    do {
        let s = try ScenarioLoader.load(path: folder.appendingPathComponent("s.yaml").path)
        _ = PortfolioDescription.render(s)
    } catch {
        _ = error.description
    }
    return 0
}
