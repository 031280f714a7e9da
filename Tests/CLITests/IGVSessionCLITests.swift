import Foundation
import TestSupport
import XCTest

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// `fusionai run` leaves an IGV desktop session beside its results: valid XML in IGV's session
/// format, every path in it existing, the calls as BEDPE.
final class IGVSessionCLITests: CLITestCase {
    func testRunWritesAnIGVSessionWhosePathsAllExist() throws {
        let folder = try exampleAndModel(calls: 4)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let out = folder + "/results"
        let run = try fusionai([
            "run", "-q", folder + "/ex/fusions.star-fusion.tsv", "-g", folder + "/ex/genome.fa", "-m",
            folder + "/m.safetensors", "--annotation", folder + "/ex/genes.gtf", "--features",
            folder + "/ex/features.tsv", "--threshold", "0", "--explain-max", "2", "-o", out,
        ])
        XCTAssertEqual(run.status, 0, run.stderr)

        let predictions = try TSVTable(path: out + "/predictions.tsv")
        let bedpe = try String(contentsOfFile: out + "/calls.bedpe", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(bedpe.count, predictions.rows.count)
        for (i, (line, row)) in zip(bedpe, predictions.rows).enumerated() {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            XCTAssertEqual(f.count, 10, String(line))
            let hbp = try XCTUnwrap(Int(row["Hbp"]))
            let tbp = try XCTUnwrap(Int(row["Tbp"]))
            XCTAssertEqual(
                f[0...5], [row["Hchr"], String(hbp - 1), String(hbp), row["Tchr"], String(tbp - 1), String(tbp)])
            XCTAssertEqual(f[6], "row\(i + 1)_\(row["Hgene"])--\(row["Tgene"])")
            XCTAssertEqual(Float(f[7]), Float(row["fusion_positive_prob"]))
            XCTAssertEqual(f[8...9], [row["Hstrand"], row["Tstrand"]])
        }

        let document = try XMLDocument(contentsOf: URL(fileURLWithPath: out + "/igv_session.xml"))
        let session = try XCTUnwrap(document.rootElement())
        XCTAssertEqual(session.name, "Session")
        let genome = try XCTUnwrap(session.attribute(forName: "genome")?.stringValue)
        XCTAssertTrue(genome.hasPrefix("/") && FileManager.default.fileExists(atPath: genome), genome)
        let resources = try session.nodes(forXPath: "Resources/Resource").compactMap { $0 as? XMLElement }
        // calls + 2 explained x (head, tail FIS + top regions) + 4 feature tracks + the annotation.
        XCTAssertEqual(resources.count, 1 + 2 * 3 + 4 + 1)
        for resource in resources {
            let path = try XCTUnwrap(resource.attribute(forName: "path")?.stringValue)
            let resolved = path.hasPrefix("/") ? path : out + "/" + path
            XCTAssertTrue(FileManager.default.fileExists(atPath: resolved), path)
        }
        XCTAssertEqual(resources.first?.attribute(forName: "type")?.stringValue, "bedpe")
        XCTAssertEqual(resources.first?.attribute(forName: "path")?.stringValue, "calls.bedpe")

        // It opens at both breakpoints of the best explained fusion.
        let explained = try FileManager.default.contentsOfDirectory(atPath: out + "/fis")
            .filter { $0.hasSuffix(".top.bed") }.compactMap { Int($0.dropFirst(3).prefix { $0.isNumber }) }
        XCTAssertEqual(explained.count, 2)
        let probability = { (row: Int) in Float(predictions.rows[row - 1]["fusion_positive_prob"]) ?? -1 }
        let best = try XCTUnwrap(explained.max { probability($0) < probability($1) })
        let row = predictions.rows[best - 1]
        let loci = try XCTUnwrap(session.attribute(forName: "locus")?.stringValue).split(separator: " ")
        let hbp = try XCTUnwrap(Int(row["Hbp"]))
        let tbp = try XCTUnwrap(Int(row["Tbp"]))
        // The report links each explained fusion's figure to the same loci in a running IGV.
        let html = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        for n in explained {
            let r = predictions.rows[n - 1]
            let h = try XCTUnwrap(Int(r["Hbp"]))
            let t = try XCTUnwrap(Int(r["Tbp"]))
            let link =
                "http://localhost:60151/goto?locus=\(r["Hchr"]):\(max(1, h - 4999))-\(h + 5000)"
                + "%20\(r["Tchr"]):\(max(1, t - 4999))-\(t + 5000)"
            XCTAssertTrue(html.contains("<a href=\"\(link)\">open both breakpoints in IGV</a>"), link)
        }
        XCTAssertEqual(
            loci,
            [
                "\(row["Hchr"]):\(max(1, hbp - 4999))-\(hbp + 5000)",
                "\(row["Tchr"]):\(max(1, tbp - 4999))-\(tbp + 5000)",
            ])
    }
}
