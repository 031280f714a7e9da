import Foundation

/// One self-contained HTML page (no network: styles, script and figures inline) made of sections:
/// a sortable, filterable table, inline SVG figures, and key-value lists.
public struct HTMLReport {
    public enum Section {
        /// A table; rows whose first cell has an `anchor` link to the figure of that id.
        case table(title: String, header: [String], rows: [[String]], anchors: [String?])
        /// Inline SVG figures, each with an id (for links) and a caption; `links` are shown under the
        /// caption of the figure whose id they are keyed by.
        case figures(
            title: String, figures: [(id: String, caption: String, svg: String)], links: [String: [Link]] = [:])
        case facts(title: String, [(String, String)])

        var title: String {
            switch self {
            case .table(let title, _, _, _), .figures(let title, _, _), .facts(let title, _): title
            }
        }
    }

    /// A link under a figure, e.g. to the figure's locus in a running IGV.
    public struct Link: Sendable, Equatable {
        public let label: String
        public let url: String

        public init(label: String, url: String) {
            self.label = label
            self.url = url
        }
    }

    public let title: String
    public var sections: [Section] = []

    public init(title: String) {
        self.title = title
    }

    public var html: String {
        var out = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>\(escape(title))</title>
            <style>
            body{font-family:-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:24px;color:#222}
            h1{font-size:20px}h2{font-size:16px;margin-top:32px;border-bottom:1px solid #ddd}
            table{border-collapse:collapse;font-size:12px}\
            th,td{padding:3px 8px;border-bottom:1px solid #eee;text-align:left}
            th{cursor:pointer;background:#f4f4f4;position:sticky;top:0}th:hover{background:#e4e4e4}
            .figure{margin:16px 0}.figure svg{display:block;max-width:100%;height:auto}\
            .caption{font-size:12px;color:#555}
            input{margin:8px 8px 8px 0;padding:3px}
            .scroll{max-height:70vh;overflow:auto;border:1px solid #eee;display:inline-block}
            nav{font-size:13px;margin-bottom:8px}nav a{margin-right:14px}
            </style></head><body>
            <h1>\(escape(title))</h1>

            """
        // A contents line: long tables push the figures far down the page.
        out +=
            "<nav>"
            + sections.enumerated().map { "<a href=\"#s\($0.offset)\">\(escape($0.element.title))</a>" }.joined()
            + "</nav>\n"
        var tables = 0
        for (index, section) in sections.enumerated() {
            switch section {
            case .table(let title, let header, let rows, let anchors):
                // Tables are t0, t1, ... in page order, whatever sections come between.
                let id = "t\(tables)"
                tables += 1
                out += "<h2 id=\"s\(index)\">\(escape(title))</h2>\n"
                out += "<input type=\"search\" placeholder=\"filter rows\" oninput=\"filterTable('\(id)',this.value)\">"
                out += "<span class=\"caption\">click a column to sort</span>\n"
                out += "<div class=\"scroll\"><table id=\"\(id)\"><thead><tr>"
                out += header.enumerated().map {
                    "<th onclick=\"sortTable('\(id)',\($0.offset))\">\(escape($0.element))</th>"
                }.joined()
                out += "</tr></thead><tbody>\n"
                for (row, anchor) in zip(
                    rows, anchors + [String?](repeating: nil, count: max(0, rows.count - anchors.count)))
                {
                    let cells = row.enumerated().map { c, value in
                        if c == 0, let anchor { return "<td><a href=\"#\(escape(anchor))\">\(escape(value))</a></td>" }
                        return "<td>\(escape(value))</td>"
                    }
                    out += "<tr>" + cells.joined() + "</tr>\n"
                }
                out += "</tbody></table></div>\n"
            case .figures(let title, let figures, let links):
                out += "<h2 id=\"s\(index)\">\(escape(title))</h2>\n"
                for figure in figures {
                    out += "<div class=\"figure\" id=\"\(escape(figure.id))\">\(Self.inlineSVG(figure.svg))"
                    let anchors = (links[figure.id] ?? []).map {
                        " <a href=\"\(escape($0.url))\">\(escape($0.label))</a>"
                    }
                    out += "<div class=\"caption\">\(escape(figure.caption))\(anchors.joined())</div></div>\n"
                }
            case .facts(let title, let facts):
                out +=
                    "<h2 id=\"s\(index)\">\(escape(title))</h2>\n<table>"
                    + facts.map { "<tr><th>\(escape($0.0))</th><td>\(escape($0.1))</td></tr>" }.joined() + "</table>\n"
            }
        }
        out += """
            <script>
            function filterTable(id,q){q=q.toLowerCase();\
            for(const r of document.getElementById(id).tBodies[0].rows){\
            r.style.display=r.textContent.toLowerCase().includes(q)?'':'none'}}
            function sortTable(id,c){const t=document.getElementById(id),b=t.tBodies[0],rows=[...b.rows];\
            const up=t.dataset.col==c&&t.dataset.dir!='up';
            t.dataset.col=c;t.dataset.dir=up?'up':'down';\
            const v=r=>{const s=r.cells[c]?r.cells[c].textContent:'';const n=parseFloat(s);\
            return isNaN(n)||!/^[-+0-9.eE]+$/.test(s)?s:n};
            rows.sort((a,b)=>{const x=v(a),y=v(b);\
            const o=typeof x=='number'&&typeof y=='number'?x-y:String(x).localeCompare(String(y));\
            return up?o:-o});rows.forEach(r=>b.appendChild(r))}
            </script>
            </body></html>

            """
        return out
    }

    /// An SVG document's root element, without an XML declaration, for inlining.
    static func inlineSVG(_ svg: String) -> String {
        guard let start = svg.range(of: "<svg") else { return "" }
        return String(svg[start.lowerBound...])
    }

    private func escape(_ text: String) -> String { SVG.escape(text) }
}
