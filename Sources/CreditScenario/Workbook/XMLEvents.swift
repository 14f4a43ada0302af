import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A streaming pass over an XML part of a workbook with Foundation's parser: elements by local
/// name (namespace prefixes such as `x:` dropped), attributes by local name, and text. A part that
/// is not UTF-8, or has a document type declaration, is refused: SpreadsheetML has none, and a declared entity could
/// expand into gigabytes ("billion laughs"); external entities are never resolved.
final class XMLEvents: NSObject, XMLParserDelegate {
    typealias Start = (_ name: String, _ attributes: [String: String]) -> Void
    private let onStart: Start
    private let onEnd: (String) -> Void
    private let onText: (String) -> Void

    private init(start: @escaping Start, end: @escaping (String) -> Void, text: @escaping (String) -> Void) {
        onStart = start
        onEnd = end
        onText = text
    }

    /// Parses `data`; false when it is not well-formed XML.
    static func parse(_ data: Data, start: @escaping Start, end: @escaping (String) -> Void = { _ in },
                      text: @escaping (String) -> Void = { _ in }) -> Bool {
        // Valid UTF-8 only, declared as such or not at all (as Excel writes): a UTF-16 part would
        // hide a declaration from the check below, and Foundation's parser, which recovers from
        // errors, traps on a name that is not valid UTF-8 (found by fuzzing).
        guard String(data: data, encoding: .utf8) != nil, !data.prefix(4).contains(0),
              data.range(of: Data("<!DOCTYPE".utf8)) == nil else { return false }
        if let declaration = String(decoding: data.prefix(200), as: UTF8.self).split(separator: ">").first,
           declaration.hasPrefix("<?xml"), let e = declaration.range(of: "encoding") {
            let name = declaration[e.upperBound...].drop { " =\"'".contains($0) }.prefix { !" \"'?".contains($0) }
            guard name.lowercased() == "utf-8" || name.lowercased() == "utf8" else { return false }
        }
        // From a stream, in 128 KiB chunks: libxml2's push parser refuses one chunk above 10 MB
        // ("huge input lookup"), which a 100 000-row sheet is.
        let parser = XMLParser(stream: InputStream(data: data))
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        let events = XMLEvents(start: start, end: end, text: text)
        parser.delegate = events
        return parser.parse()
    }

    static func local(_ name: String) -> String {
        name.lastIndex(of: ":").map { String(name[name.index(after: $0)...]) } ?? name
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        // Prefixed attribute names (r:id) are rare: re-key only then.
        if attributeDict.keys.contains(where: { $0.contains(":") }) {
            var attributes: [String: String] = [:]
            for (k, v) in attributeDict { attributes[Self.local(k)] = v }
            onStart(Self.local(elementName), attributes)
        } else {
            onStart(Self.local(elementName), attributeDict)
        }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        onEnd(Self.local(elementName))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { onText(string) }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) { onText(String(decoding: CDATABlock, as: UTF8.self)) }
}
