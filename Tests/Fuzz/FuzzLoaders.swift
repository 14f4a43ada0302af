// libFuzzer target for the scenario loaders (YAML scenario, entities CSV, bonds CSV, entities as
// an .xlsx workbook: the whole file, or the XML of its sheet in a valid package) and for what
// `merge` reads (a `.npy` array; the `shard.json` of the second of two real shards, whose folders
// scripts/fuzz.sh writes with creditsim and names in CREDITSIM_FUZZ_SHARDS). Built only with
// CREDITSIM_FUZZ=1 (see Package.swift and scripts/fuzz.sh); every input must either load or be
// refused with a typed error: a crash, a trap or a hang is a finding.
import CreditScenario
import Foundation
import ZIPFoundation

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

private let workbookScenario = scenario.replacingOccurrences(of: "entities: entities.csv", with: "entities: book.xlsx")

/// A valid entities workbook (our writer's), whose sheet XML an input replaces.
private let templateURL: URL = {
    let sheet = WorkbookWriter.Sheet(name: "主体", rows: [
        [.text("主体代码"), .text("名称"), .text("违约概率"), .text("global")],
        [.text("a"), .text("Alpha"), .percent(0.03), .number(0.4)],
        [.text("g"), .text("担保"), .number(0.002), .number(0.3)],
    ])
    let url = folder.appendingPathComponent("template.xlsx")
    try? WorkbookWriter.data([sheet]).write(to: url)
    return url
}()

/// A workbook package whose first sheet's XML is `xml`. The template's parts are read on each
/// call: a global array of them would hold Swift strings, whose tagged pointers LeakSanitizer
/// does not recognise (it reported the array as leaked).
private func workbook(sheetXML xml: Data) -> Data {
    guard let template = try? Archive(url: templateURL, accessMode: .read),
          let archive = try? Archive(accessMode: .create) else { return Data() }
    for entry in template {
        var contents = Data()
        if entry.path == "xl/worksheets/sheet1.xml" { contents = xml } else { _ = try? template.extract(entry) { contents.append($0) } }
        try? archive.addEntry(with: entry.path, type: .file, uncompressedSize: Int64(contents.count)) { pos, size in
            contents.subdata(in: Int(pos)..<Int(pos) + size)
        }
    }
    return archive.data ?? Data()
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 { fuzz(data, size) }

func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 0 else { return 0 }
    // The first byte chooses which file the rest replaces.
    let body = Data(bytes: data + 1, count: size - 1)
    var files = ["s.yaml": Data(scenario.utf8), "entities.csv": Data(entities.utf8), "bonds.csv": Data(bonds.utf8)]
    switch data[0] % 7 {
    case 5:
        _ = NumPyFile.read(body)
        return 0
    case 6:
        fuzzShard(body)
        return 0
    case 0: files["s.yaml"] = body
    case 1: files["entities.csv"] = body
    case 2: files["bonds.csv"] = body
    case 3: files["s.yaml"] = Data(workbookScenario.utf8); files["book.xlsx"] = body
    default: files["s.yaml"] = Data(workbookScenario.utf8); files["book.xlsx"] = workbook(sheetXML: body)
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

/// Two shards of one run (written by scripts/fuzz.sh): the input replaces the second one's
/// `shard.json`; the merge must load and combine them or refuse with a MergeError.
private let shardRoot = ProcessInfo.processInfo.environment["CREDITSIM_FUZZ_SHARDS"]

private func fuzzShard(_ body: Data) {
    guard let shardRoot else { return }
    let first = shardRoot + "/shard1", second = shardRoot + "/shard2"
    try? body.write(to: URL(fileURLWithPath: second + "/shard.json"))
    do {
        let loaded = try ShardMerge.load([first, second])
        let document = loaded[0].document
        let scenario = try ScenarioLoader.load(path: document.scenarioPath).overriding(horizon: document.horizon, levels: document.levels)
        _ = try ShardMerge.outcomes(loaded, scenario: scenario)
    } catch {
        _ = "\(error)"
    }
}
