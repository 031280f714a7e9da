import Foundation
import Motifs
import Reports
import Results
import Support

/// Writes discovered patterns: each sign's PWMs as a MEME file, a table of the patterns, their
/// matrices position by position, and a PWM logo and a CWM logo per pattern.
struct PatternOutputs {
    let folder: PatternsFolder

    func write(_ patterns: [Pattern]) throws {
        try FileManager.default.createDirectory(atPath: folder.logos, withIntermediateDirectories: true)
        for sign in [Seqlet.Sign.positive, .negative] {
            let motifs = patterns.filter { $0.sign == sign }.map { p in
                MotifMatrix(id: p.name, altName: p.consensus, rows: p.pwm, sites: p.seqlets)
            }
            try MEMEFile(motifs: motifs).write(to: folder.meme(sign: sign == .positive ? "positive" : "negative"))
        }
        var table = PatternsTable.schema.header()
        var matrices = PatternMatricesTable.schema.header()
        for p in patterns {
            let ic = p.informationContent.reduce(0, +)
            let contribution = p.cwm.reduce(0) { $0 + $1.reduce(0, +) }
            table += PatternsTable.schema.line([
                p.name, p.sign.rawValue, "\(p.seqlets)", "\(p.pwm.count)", p.consensus, String(format: "%.3f", ic),
                "\(contribution)",
            ])
            for (i, (cwm, pwm)) in zip(p.cwm, p.pwm).enumerated() {
                matrices += PatternMatricesTable.schema.line(
                    [p.name, "\(i + 1)", "\(p.support[i])"] + cwm.map { "\($0)" }
                        + pwm.map { String(format: "%.6f", $0) })
            }
            let subtitle = "\(p.seqlets) seqlets (\(p.sign == .positive ? "positive" : "negative")); "
            try OutputFile.write(
                SequenceLogo.svg(
                    title: "\(p.name) PWM (\(p.consensus))", probabilities: p.pwm,
                    subtitle: subtitle + String(format: "%.2f bits", ic)),
                to: folder.pwmLogo(p.name))
            try OutputFile.write(
                SequenceLogo.contributionSVG(
                    title: "\(p.name) contribution-weight matrix", weights: p.cwm,
                    subtitle: subtitle + "mean contribution per aligned seqlet"),
                to: folder.cwmLogo(p.name))
        }
        try OutputFile.write(table, to: folder.table)
        try OutputFile.write(matrices, to: folder.matrices)
    }
}
