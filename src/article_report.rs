//! The HTML report of `stance article --report FILE.html`: each document with every sentence
//! marked toward the party picked (colour = stance, strength = probability), the per-party summary
//! as an inline SVG chart and a table, and the most confident sentences each way with the features
//! behind them.
//!
//! The same rules as the eval report (`crate::report`): one self-contained file, inline CSS and
//! SVG, no script and no network reference, every input string escaped. The party picker is a row
//! of radio buttons styled as tabs; CSS alone (`:checked ~`) shows the picked party's colours.

use std::fmt::Write as _;

use crate::article::{PartySummary, ScoredDocument, SentenceScore};
use crate::report::{close_page, esc, open_page, stance_color};

/// One document of the report.
pub struct DocumentReport<'a> {
    /// The file name, as given.
    pub name: &'a str,
    pub scored: &'a ScoredDocument,
    pub summary: &'a [PartySummary],
}

/// Everything the report shows.
pub struct ArticleReportInput<'a> {
    pub title: String,
    pub generated_by: String,
    pub model: String,
    pub documents: Vec<DocumentReport<'a>>,
}

/// Favor, against, none as RGB, the eval report's colours.
const RGB: [(u8, u8, u8); 3] = [(47, 133, 90), (197, 48, 48), (113, 128, 150)];

/// The whole report as one HTML document.
pub fn render(input: &ArticleReportInput) -> String {
    let mut out = String::with_capacity(64 * 1024);
    open_page(&mut out, &input.title);
    out.push_str(CSS);
    for (d, document) in input.documents.iter().enumerate() {
        for k in 0..document.summary.len() {
            let _ = writeln!(
                out,
                "#d{d}p{k}:checked ~ .doc .s {{ background: var(--p{k}, transparent); }}\n\
                 #d{d}p{k}:checked ~ .doc .m{k} {{ text-decoration: underline 2px; font-weight: 650; }}\n\
                 #d{d}p{k}:checked ~ .details .pd{k} {{ display: block; }}"
            );
        }
    }
    out.push_str("</style>\n</head>\n<body>\n<main>\n");
    for (d, document) in input.documents.iter().enumerate() {
        render_document(&mut out, input, d, document);
    }
    close_page(&mut out, &input.generated_by);
    out
}

const CSS: &str = r#"
.reader > input { position: absolute; opacity: 0; pointer-events: none; }
.reader > label { display: inline-block; margin: 0 6px 8px 0; padding: 4px 12px; border-radius: 999px;
  border: 1px solid var(--line); background: #f7f9fb; font-size: 14px; font-weight: 600; cursor: pointer; }
.reader > label small { color: var(--muted); font-weight: 500; margin-left: 4px; }
.reader > input:checked + label { background: var(--accent); border-color: var(--accent); color: #fff; }
.reader > input:checked + label small { color: #dbe4ee; }
.reader > input:focus-visible + label { outline: 2px solid var(--accent); outline-offset: 2px; }
.doc { margin-top: 8px; font: 16px/1.75 Georgia, "Times New Roman", serif; max-width: 860px; }
.doc p { margin: 0 0 14px; }
.doc p.head { font: 650 21px/1.35 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.doc .hash { display: none; }
.s { border-radius: 3px; padding: 1px 0; box-decoration-break: clone; -webkit-box-decoration-break: clone; }
.s sup { font: 600 10px system-ui, sans-serif; color: var(--muted); margin-right: 2px; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 18px; font-size: 13px; color: var(--muted); margin: 4px 0 12px; }
.legend .sw { display: inline-block; width: 34px; height: 12px; border-radius: 3px; vertical-align: middle; margin-right: 6px; }
.details .pd { display: none; }
.details { margin-top: 6px; border-top: 1px solid var(--line); padding-top: 12px; }
.examples { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 18px; }
.example { margin: 10px 0 0; }
.example .text { margin: 6px 0; font-size: 14px; }
.example .why { font-size: 13px; color: var(--muted); }
.example .why span { white-space: nowrap; margin-right: 6px; }
table.summary td, table.summary th { white-space: nowrap; }
@media (max-width: 900px) { .examples { grid-template-columns: 1fr; } }
"#;

fn render_document(out: &mut String, input: &ArticleReportInput, d: usize, doc: &DocumentReport) {
    let named = doc
        .scored
        .rows
        .iter()
        .map(|r| r.sentence)
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    let paragraphs = doc.scored.sentences.last().map_or(0, |s| s.paragraph + 1);
    out.push_str("<header class=\"card\">\n");
    let _ = writeln!(out, "<h1>{}</h1>", esc(&input.title));
    out.push_str("<dl class=\"facts\">\n");
    let _ = writeln!(
        out,
        "<dt>Document</dt><dd><code>{}</code></dd>",
        esc(doc.name)
    );
    let _ = writeln!(
        out,
        "<dt>Sentences</dt><dd>{} in {paragraphs} paragraphs; {named} name a registered party</dd>",
        doc.scored.sentences.len()
    );
    let _ = writeln!(
        out,
        "<dt>Parties</dt><dd>{}</dd>",
        doc.summary
            .iter()
            .map(|p| esc(&p.party))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = writeln!(out, "<dt>Model</dt><dd>{}</dd>", esc(&input.model));
    let _ = writeln!(
        out,
        "<dt>Generated by</dt><dd>{}</dd>",
        esc(&input.generated_by)
    );
    out.push_str("</dl>\n</header>\n");
    summary(out, doc);
    reader(out, d, doc);
}

fn summary(out: &mut String, doc: &DocumentReport) {
    out.push_str("<section class=\"card\">\n<h2>Per-party summary</h2>\n");
    out.push_str(
        "<p class=\"note\">Left: the sentences naming each party, by predicted stance. Right: the \
         net lean, the mean of P(favor) &minus; P(against) over those sentences (&minus;1: all \
         against, +1: all favor), with a 90% bootstrap interval over sentences.</p>\n",
    );
    if doc.summary.is_empty() {
        out.push_str(
            "<p class=\"empty\">The document names no registered party.</p>\n</section>\n",
        );
        return;
    }
    chart(out, doc.summary);
    out.push_str(
        "<table class=\"summary\"><thead><tr><th>Party</th><th class=\"num\">Sentences</th>\
         <th class=\"num\">Favor</th><th class=\"num\">Against</th><th class=\"num\">None</th>\
         <th class=\"num\">Mean P(favor)</th><th class=\"num\">Mean P(against)</th>\
         <th class=\"num\">Mean P(none)</th><th class=\"num\">Lean</th><th class=\"num\">90% interval</th>\
         </tr></thead><tbody>\n",
    );
    for p in doc.summary {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{:.3}</td><td class=\"num\">{:.3}</td>\
             <td class=\"num\">{:.3}</td><td class=\"num\">{:+.3}</td><td class=\"num\">[{:+.3}, {:+.3}]</td></tr>",
            esc(&p.party),
            p.sentences,
            p.favor,
            p.against,
            p.none,
            p.mean_probabilities[0],
            p.mean_probabilities[1],
            p.mean_probabilities[2],
            p.lean,
            p.lean_interval[0],
            p.lean_interval[1]
        );
    }
    out.push_str("</tbody></table>\n</section>\n");
}

/// Counts as stacked bars and the lean with its interval, one row a party.
fn chart(out: &mut String, summary: &[PartySummary]) {
    let (label_w, bars_x, bars_w, lean_x, lean_w) = (150.0, 160.0, 380.0, 600.0, 440.0);
    let (top, row_h) = (34.0, 30.0);
    let width = lean_x + lean_w + 20.0;
    let height = top + row_h * summary.len() as f64 + 30.0;
    let most = summary
        .iter()
        .map(|p| p.sentences)
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let _ = writeln!(
        out,
        "<svg viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" \
         aria-label=\"Per-party summary\">"
    );
    let _ = writeln!(
        out,
        "<text x=\"{bars_x}\" y=\"16\" font-size=\"12\" font-weight=\"600\" fill=\"#5f6b7a\">SENTENCES BY STANCE</text>\
         <text x=\"{}\" y=\"16\" font-size=\"12\" font-weight=\"600\" fill=\"#5f6b7a\" text-anchor=\"middle\">NET LEAN</text>",
        lean_x + lean_w / 2.0
    );
    // The lean axis: −1, 0, +1.
    let lean_at = |v: f64| lean_x + (v.clamp(-1.0, 1.0) + 1.0) / 2.0 * lean_w;
    let bottom = top + row_h * summary.len() as f64;
    for (v, label) in [(-1.0, "\u{2212}1 against"), (0.0, "0"), (1.0, "+1 favor")] {
        let x = lean_at(v);
        let anchor = match v {
            v if v < 0.0 => "start",
            v if v > 0.0 => "end",
            _ => "middle",
        };
        let _ = writeln!(
            out,
            "<line x1=\"{x:.1}\" y1=\"{}\" x2=\"{x:.1}\" y2=\"{bottom}\" stroke=\"{}\" stroke-width=\"1\"/>\
             <text x=\"{x:.1}\" y=\"{}\" font-size=\"11\" fill=\"#5f6b7a\" text-anchor=\"{anchor}\">{label}</text>",
            top - 6.0,
            if v == 0.0 { "#9aa5b1" } else { "#e3e7ec" },
            bottom + 16.0
        );
    }
    for (i, p) in summary.iter().enumerate() {
        let y = top + row_h * i as f64;
        let mid = y + row_h / 2.0;
        let _ = writeln!(
            out,
            "<text x=\"{label_w}\" y=\"{:.1}\" font-size=\"13\" font-weight=\"600\" fill=\"#1f2933\" \
             text-anchor=\"end\">{}</text>",
            mid + 4.0,
            esc(&p.party)
        );
        let mut x = bars_x;
        for (k, n) in [p.favor, p.against, p.none].into_iter().enumerate() {
            if n == 0 {
                continue;
            }
            let w = bars_w * n as f64 / most;
            let (r, g, b) = RGB[k];
            let _ = write!(
                out,
                "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"18\" fill=\"rgb({r},{g},{b})\"/>",
                mid - 9.0
            );
            if w >= 16.0 {
                let _ = write!(
                    out,
                    "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" font-weight=\"600\" fill=\"#ffffff\" \
                     text-anchor=\"middle\">{n}</text>",
                    x + w / 2.0,
                    mid + 4.0
                );
            }
            x += w;
        }
        let _ = writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" fill=\"#5f6b7a\">{}</text>",
            x + 6.0,
            mid + 4.0,
            p.sentences
        );
        let (lo, hi, at) = (
            lean_at(p.lean_interval[0]),
            lean_at(p.lean_interval[1]),
            lean_at(p.lean),
        );
        let color = if p.lean > 0.05 {
            stance_color("favor")
        } else if p.lean < -0.05 {
            stance_color("against")
        } else {
            stance_color("none")
        };
        let _ = writeln!(
            out,
            "<line x1=\"{lo:.1}\" y1=\"{mid:.1}\" x2=\"{hi:.1}\" y2=\"{mid:.1}\" stroke=\"{color}\" stroke-width=\"3\" stroke-linecap=\"round\"/>\
             <circle cx=\"{at:.1}\" cy=\"{mid:.1}\" r=\"6\" fill=\"{color}\" stroke=\"#ffffff\" stroke-width=\"1.5\"/>\
             <text x=\"{at:.1}\" y=\"{:.1}\" font-size=\"11\" fill=\"#1f2933\" text-anchor=\"middle\">{:+.2}</text>",
            mid - 9.0,
            p.lean
        );
    }
    out.push_str("</svg>\n");
}

/// The alpha of a sentence's colour: stronger with the predicted class's probability; none is
/// kept faint so that favor and against stand out.
fn alpha(row: &SentenceScore) -> f64 {
    let k = row.stance.index();
    let p = f64::from(row.probabilities[k]).clamp(0.0, 1.0);
    let strength = ((p - 1.0 / 3.0) / (2.0 / 3.0)).clamp(0.0, 1.0);
    if k == 2 {
        0.08 + 0.17 * strength
    } else {
        0.18 + 0.5 * strength
    }
}

fn reader(out: &mut String, d: usize, doc: &DocumentReport) {
    out.push_str("<section class=\"card reader\">\n<h2>The document, sentence by sentence</h2>\n");
    out.push_str(
        "<p class=\"note\">Pick a party: each sentence that names it is coloured by its predicted \
         stance toward it, stronger the more probable; its mentions are underlined. Hover a sentence \
         for every party's figures. Sentences that do not name the party stay plain.</p>\n",
    );
    out.push_str("<div class=\"legend\">");
    for (k, name) in ["favor", "against", "none"].iter().enumerate() {
        let (r, g, b) = RGB[k];
        let (lo, hi) = if k == 2 { (0.08, 0.25) } else { (0.18, 0.68) };
        let _ = write!(
            out,
            "<span><span class=\"sw\" style=\"background:linear-gradient(90deg,rgba({r},{g},{b},{lo}),rgba({r},{g},{b},{hi}))\"></span>{name}, weak to strong</span>"
        );
    }
    out.push_str("</div>\n");
    let index_of = |party: &str| doc.summary.iter().position(|p| p.party == party);
    for (k, p) in doc.summary.iter().enumerate() {
        let _ = writeln!(
            out,
            "<input type=\"radio\" name=\"d{d}\" id=\"d{d}p{k}\"{}><label for=\"d{d}p{k}\">{}<small>{}</small></label>",
            if k == 0 { " checked" } else { "" },
            esc(&p.party),
            p.sentences
        );
    }
    out.push_str("<div class=\"doc\">\n");
    let mut paragraph = None;
    for s in &doc.scored.sentences {
        let rows: Vec<&SentenceScore> = doc
            .scored
            .rows
            .iter()
            .filter(|r| r.sentence == s.index)
            .collect();
        if paragraph != Some(s.paragraph) {
            if paragraph.is_some() {
                out.push_str("</p>\n");
            }
            out.push_str(if s.text.starts_with('#') {
                "<p class=\"head\">"
            } else {
                "<p>"
            });
            paragraph = Some(s.paragraph);
        } else {
            out.push(' ');
        }
        let mut style = String::new();
        let mut title = format!("Sentence {}", s.index);
        for row in &rows {
            let Some(k) = index_of(&row.party) else {
                continue;
            };
            let (r, g, b) = RGB[row.stance.index()];
            let _ = write!(style, "--p{k}:rgba({r},{g},{b},{:.2});", alpha(row));
            let [f, a, n] = row.probabilities;
            let _ = write!(
                title,
                "\n{}: {} (favor {f:.2}, against {a:.2}, none {n:.2})",
                row.party,
                row.stance.name()
            );
        }
        let _ = write!(
            out,
            "<span class=\"s\" style=\"{style}\" title=\"{}\"><sup>{}</sup>",
            esc(&title),
            s.index
        );
        // Mentions, marked with their party's class so the picked party's are underlined.
        let mut marks: Vec<(usize, usize, usize)> = rows
            .iter()
            .filter_map(|r| index_of(&r.party).map(|k| (r, k)))
            .flat_map(|(r, k)| r.mentions.iter().map(move |m| (m.0, m.1, k)))
            .collect();
        marks.sort_unstable();
        let chars: Vec<char> = s.text.chars().collect();
        // A Markdown heading's marks are not shown.
        let mut at = chars
            .iter()
            .take_while(|&&c| c == '#' || c == ' ')
            .count()
            .min(marks.first().map_or(usize::MAX, |m| m.0));
        if at > 0 {
            out.push_str("<span class=\"hash\">");
            out.extend(&chars[..at]);
            out.push_str("</span>");
        }
        for (start, end, k) in marks {
            if start < at || end > chars.len() {
                continue;
            }
            out.push_str(&esc(&chars[at..start].iter().collect::<String>()));
            let _ = write!(
                out,
                "<span class=\"m{k}\">{}</span>",
                esc(&chars[start..end].iter().collect::<String>())
            );
            at = end;
        }
        out.push_str(&esc(&chars[at..].iter().collect::<String>()));
        out.push_str("</span>");
    }
    if paragraph.is_some() {
        out.push_str("</p>\n");
    }
    out.push_str("</div>\n<div class=\"details\">\n");
    for (k, p) in doc.summary.iter().enumerate() {
        let _ = writeln!(
            out,
            "<div class=\"pd pd{k}\"><h2>{}: the most confident sentences each way</h2>\n<div class=\"examples\">",
            esc(&p.party)
        );
        for (title, stance, examples) in [
            ("Favor", "favor", &p.most_favor),
            ("Against", "against", &p.most_against),
        ] {
            let _ = write!(out, "<div><h3>{title}</h3>");
            if examples.is_empty() {
                let _ = write!(
                    out,
                    "<p class=\"empty\">No sentence is predicted {stance}.</p>"
                );
            }
            for e in examples {
                let _ = write!(
                    out,
                    "<div class=\"example\"><span class=\"badge {stance}\">{stance} {:.2}</span> \
                     <span class=\"mono\">sentence {}</span><div class=\"text\">{}</div><div class=\"why\">",
                    e.probability,
                    e.sentence,
                    esc(&e.text)
                );
                for c in e.explanation.toward.iter().take(4) {
                    let _ = write!(
                        out,
                        "<span><span class=\"pos\">+{:.2}</span> {}</span> ",
                        c.value,
                        esc(if c.words.trim().is_empty() {
                            &c.feature
                        } else {
                            &c.words
                        })
                    );
                }
                out.push_str("</div></div>");
            }
            out.push_str("</div>\n");
        }
        out.push_str("</div></div>\n");
    }
    out.push_str("</div>\n</section>\n");
}
