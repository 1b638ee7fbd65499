//! The HTML report of `stance eval --report FILE.html`: one self-contained file with inline CSS
//! and inline SVG, no script and no network reference, readable in any browser or printed.
//!
//! Sections: header (title, model, files), headline metrics, confusion-matrix heatmap, per-class
//! precision/recall/F1 bars, a reliability diagram (calibration), per-target table, the most
//! confident mistakes with the features that drove them, and a metadata table. Every string from the input is HTML-escaped: statements are
//! untrusted. Metrics are written as `format!("{:.4}", x)`, the same figures as `eval --json`.

use std::fmt::Write as _;

use crate::metrics::{Calibration, CALIBRATION_BINS};

/// Precision, recall and F1 of one class.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ClassRow {
    pub name: String,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub support: usize,
}

/// The figures of one target.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TargetRow {
    pub target: String,
    pub n: usize,
    pub accuracy: f64,
    pub macro_f1: f64,
    pub f_avg: f64,
}

/// One feature's share of the predicted class's logit.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Contribution {
    pub words: String,
    pub feature: String,
    pub value: f32,
}

/// A misclassified statement and why the model chose what it did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Mistake {
    pub id: Option<String>,
    pub text: String,
    pub target: String,
    pub gold: String,
    pub predicted: String,
    pub confidence: f32,
    /// favor, against, none
    pub probabilities: [f32; 3],
    /// Features that pushed toward the predicted stance (value > 0).
    pub toward: Vec<Contribution>,
    /// Features that pushed against it (value < 0).
    pub against: Vec<Contribution>,
}

/// Everything the report shows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReportInput {
    /// e.g. "stance eval: labeled/test.jsonl"
    pub title: String,
    /// e.g. "stance 0.1.0"
    pub generated_by: String,
    /// e.g. "embedded default model" or a path
    pub model: String,
    pub files: Vec<String>,
    /// (statement, party) rows evaluated.
    pub n: usize,
    /// Distinct statements among them (one statement naming two parties is two rows).
    pub statements: usize,
    pub accuracy: f64,
    pub macro_f1: f64,
    pub f_avg: f64,
    /// favor, against, none in this order
    pub classes: Vec<ClassRow>,
    /// Rows gold, columns predicted, order favor/against/none.
    pub confusion: [[usize; 3]; 3],
    /// The predictions binned by confidence; the reliability diagram and the ECE come from it.
    pub calibration: Calibration,
    /// Sorted by the caller (largest first); at most [`MAX_TARGETS`] are shown.
    pub per_target: Vec<TargetRow>,
    /// Sorted by the caller, most confident first; at most [`MAX_MISTAKES`] are shown.
    pub mistakes: Vec<Mistake>,
    /// Key/value pairs shown in a table (training files, hashes, options...).
    pub metadata: Vec<(String, String)>,
}

/// Targets shown in the per-target table; the report says how many more there are.
pub const MAX_TARGETS: usize = 40;
/// Mistakes shown; the report says how many more there are.
pub const MAX_MISTAKES: usize = 30;
/// Contributions shown each way for one mistake.
const MAX_CONTRIBUTIONS: usize = 6;
/// Files listed in the header.
const MAX_FILES: usize = 20;

const STANCES: [&str; 3] = ["favor", "against", "none"];
/// Precision, recall, F1 bars: three blues, the darkest for F1.
const METRIC_COLORS: [&str; 3] = ["#9cc0e6", "#4f86c6", "#1d3f6e"];

/// The whole report as one HTML document.
/// The start of a self-contained page, up to the open `<style>` holding `BASE_CSS`: the
/// caller adds its own CSS and closes the head.
pub fn open_page(out: &mut String, title: &str) {
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    // Defense in depth: even a browser that ran something would load nothing.
    out.push_str(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'; img-src data:\">\n",
    );
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(out, "<title>{}</title>", esc(title));
    out.push_str("<style>\n");
    out.push_str(BASE_CSS);
}

pub fn render(input: &ReportInput) -> String {
    let mut out = String::with_capacity(32 * 1024 + input.mistakes.len().min(MAX_MISTAKES) * 4096);
    open_page(&mut out, &input.title);
    out.push_str("</style>\n</head>\n<body>\n<main>\n");
    header(&mut out, input);
    headline(&mut out, input);
    out.push_str("<div class=\"grid2\">\n");
    confusion(&mut out, input);
    per_class(&mut out, input);
    out.push_str("</div>\n");
    reliability(&mut out, input);
    per_target(&mut out, input);
    mistakes(&mut out, input);
    metadata(&mut out, input);
    let _ = writeln!(
        out,
        "<footer>Generated by {}. This file is self-contained: no scripts, no network.</footer>",
        esc(&input.generated_by)
    );
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

/// The stylesheet, shared with the article report (`crate::article_report`).
pub(crate) const BASE_CSS: &str = r#"
:root { --fg: #1f2933; --muted: #5f6b7a; --line: #e3e7ec; --bg: #f4f6f9; --card: #ffffff;
  --favor: #2f855a; --against: #c53030; --none: #718096; --accent: #1d3f6e; }
* { box-sizing: border-box; }
html { background: var(--bg); }
body { margin: 0; color: var(--fg);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1160px; margin: 0 auto; padding: 28px 32px 40px; }
h1 { font-size: 26px; line-height: 1.25; margin: 0 0 12px; font-weight: 650; }
h2 { font-size: 18px; margin: 0 0 4px; font-weight: 650; }
h3 { font-size: 13px; margin: 0 0 6px; font-weight: 600; color: var(--muted);
  text-transform: uppercase; letter-spacing: .04em; }
p.note { color: var(--muted); margin: 0 0 14px; font-size: 14px; }
section { margin-top: 22px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 18px 22px; }
header.card { border-top: 4px solid var(--accent); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; font-size: 14px; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace;
  font-size: 0.9em; }
dd code { background: #eef2f6; border-radius: 4px; padding: 1px 6px; margin-right: 6px; display: inline-block; }
nav { margin-top: 14px; font-size: 14px; }
nav a { color: var(--accent); text-decoration: none; margin-right: 16px; }
nav a:hover { text-decoration: underline; }
.cards { display: grid; grid-template-columns: repeat(4, 1fr); gap: 16px; }
.metric .label { color: var(--muted); font-size: 14px; font-weight: 600; }
.metric .value { font-size: 40px; font-weight: 650; line-height: 1.15; margin: 4px 0;
  font-variant-numeric: tabular-nums; letter-spacing: -0.01em; color: var(--accent); }
.metric .sub { color: var(--muted); font-size: 13px; }
.grid2 { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; margin-top: 22px; }
.grid2 > section { margin-top: 0; }
svg { display: block; max-width: 100%; height: auto; margin: 6px auto 0; }
svg text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { padding: 6px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { color: var(--muted); font-weight: 600; font-size: 13px; border-bottom: 2px solid var(--line); }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tbody tr:last-child td { border-bottom: none; }
table.classes { margin-top: 10px; }
td.bar { background-repeat: no-repeat; }
.dot { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 6px; vertical-align: baseline; }
.badge { display: inline-block; padding: 1px 9px; border-radius: 999px; font-size: 13px; font-weight: 600;
  color: #fff; background: #52606d; }
.badge.favor { background: var(--favor); }
.badge.against { background: var(--against); }
.badge.none { background: var(--none); }
.tag { display: inline-block; padding: 1px 8px; border-radius: 6px; font-size: 13px; font-weight: 600;
  background: #e6eef8; color: var(--accent); }
.mistake { margin-top: 14px; }
.mhead { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 14px; font-size: 14px; }
.mhead .rank { font-weight: 700; color: var(--muted); }
.mhead .id { color: var(--muted); }
.mhead .conf { margin-left: auto; color: var(--muted); }
.mhead .conf b { color: var(--fg); font-variant-numeric: tabular-nums; }
.text { margin: 12px 0; padding: 10px 14px; background: #f7f9fb; border-left: 3px solid #cbd2d9;
  border-radius: 4px; white-space: pre-wrap; overflow-wrap: anywhere; font-size: 15px; }
mark { background: #fde68a; color: inherit; padding: 0 2px; border-radius: 3px; }
.probs { display: flex; align-items: center; gap: 14px; flex-wrap: wrap; font-size: 13px; color: var(--muted); }
.probs svg { margin: 0; }
.probs .legend span { margin-right: 12px; white-space: nowrap; font-variant-numeric: tabular-nums; }
.contribs { display: grid; grid-template-columns: 1fr 1fr; gap: 18px; margin-top: 12px; }
.contribs table { font-size: 13px; }
.contribs table { table-layout: fixed; }
.contribs td { padding: 4px 8px; vertical-align: baseline; overflow-wrap: anywhere; }
.contribs td:first-child { width: 46%; }
.contribs td.num { width: 84px; }
.contribs p.empty { margin: 4px 0 0 8px; font-size: 14px; }
.contribs p.note { margin: 4px 0 0 8px; font-size: 13px; }
.contribs td.feat { color: var(--muted); overflow-wrap: anywhere; }
.pos { color: var(--favor); }
.neg { color: var(--against); }
.empty { color: var(--muted); font-style: italic; }
table.meta td:first-child { color: var(--muted); white-space: nowrap; width: 1%; }
table.meta td:last-child { overflow-wrap: anywhere; }
.calib { display: grid; grid-template-columns: auto 1fr; gap: 24px; align-items: start; }
.calib svg { margin: 6px 0 0; }
p.ece b { color: var(--fg); font-size: 16px; font-variant-numeric: tabular-nums; }
.calib-legend { display: flex; flex-wrap: wrap; gap: 6px 16px; font-size: 13px; color: var(--muted); margin: 6px 0 10px; }
.key { display: inline-block; width: 14px; height: 10px; border-radius: 2px; margin-right: 6px; }
.key.gapkey { border: 1px solid #c53030;
  background: repeating-linear-gradient(-45deg, rgba(197, 48, 48, .6) 0 1px, rgba(197, 48, 48, .08) 1px 4px); }
footer { margin-top: 28px; color: var(--muted); font-size: 13px; text-align: center; }
@media (max-width: 900px) {
  .cards { grid-template-columns: 1fr 1fr; }
  .grid2, .contribs, .calib { grid-template-columns: 1fr; }
}
@media print {
  html { background: #fff; }
  .card { break-inside: avoid; }
  nav { display: none; }
}
"#;

fn header(out: &mut String, input: &ReportInput) {
    out.push_str("<header class=\"card\">\n");
    let _ = writeln!(out, "<h1>{}</h1>", esc(&input.title));
    out.push_str("<dl class=\"facts\">\n");
    let _ = writeln!(out, "<dt>Model</dt><dd>{}</dd>", esc(&input.model));
    let label = if input.files.len() == 1 {
        "File"
    } else {
        "Files"
    };
    let _ = write!(out, "<dt>{label}</dt><dd>");
    if input.files.is_empty() {
        out.push_str("<span class=\"empty\">none given</span>");
    }
    for file in input.files.iter().take(MAX_FILES) {
        let _ = write!(out, "<code>{}</code>", esc(file));
    }
    if input.files.len() > MAX_FILES {
        let _ = write!(out, " and {} more", input.files.len() - MAX_FILES);
    }
    out.push_str("</dd>\n");
    let _ = writeln!(
        out,
        "<dt>Generated by</dt><dd>{}</dd>",
        esc(&input.generated_by)
    );
    out.push_str("</dl>\n");
    out.push_str(
        "<nav><a href=\"#metrics\">Metrics</a><a href=\"#confusion\">Confusion matrix</a>\
         <a href=\"#classes\">Per class</a><a href=\"#calibration\">Calibration</a>\
         <a href=\"#targets\">Per target</a>\
         <a href=\"#mistakes\">Confident mistakes</a><a href=\"#metadata\">Metadata</a></nav>\n",
    );
    out.push_str("</header>\n");
}

fn headline(out: &mut String, input: &ReportInput) {
    let correct: usize = (0..3).map(|k| input.confusion[k][k]).sum();
    let cards = [
        (
            "Accuracy",
            f4(input.accuracy),
            format!("{} of {} correct", group(correct), group(input.n)),
        ),
        (
            "Macro-F1",
            f4(input.macro_f1),
            "mean F1 of favor, against and none".to_string(),
        ),
        (
            "F_avg",
            f4(input.f_avg),
            "mean F1 of favor and against (SemEval-2016)".to_string(),
        ),
        (
            "(Statement, party) rows",
            group(input.n),
            format!(
                "from {} statements; {} rows misclassified",
                group(input.statements),
                group(input.n.saturating_sub(correct))
            ),
        ),
    ];
    out.push_str("<section id=\"metrics\" class=\"cards\">\n");
    for (label, value, sub) in cards {
        let _ = writeln!(
            out,
            "<div class=\"card metric\"><div class=\"label\">{label}</div>\
             <div class=\"value\">{value}</div><div class=\"sub\">{sub}</div></div>"
        );
    }
    out.push_str("</section>\n");
}

/// The class names in confusion order, from the input when it has all three.
fn class_names(input: &ReportInput) -> [String; 3] {
    std::array::from_fn(|k| match input.classes.get(k) {
        Some(row) if input.classes.len() == 3 && !row.name.is_empty() => row.name.clone(),
        _ => STANCES[k].to_string(),
    })
}

fn confusion(out: &mut String, input: &ReportInput) {
    let names = class_names(input);
    let (cw, ch) = (118.0, 74.0);
    let (left, top) = (112.0, 58.0);
    let width = left + 3.0 * cw + 64.0;
    let height = top + 3.0 * ch + 84.0;
    out.push_str("<section id=\"confusion\" class=\"card\">\n<h2>Confusion matrix</h2>\n");
    out.push_str(
        "<p class=\"note\">Rows are the gold stance, columns the predicted one. \
         The shade is the share of the gold row; the diagonal is correct.</p>\n",
    );
    let _ = writeln!(
        out,
        "<svg viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" \
         aria-label=\"Confusion matrix\">"
    );
    // Axis titles.
    let _ = writeln!(
        out,
        "<text x=\"{}\" y=\"16\" text-anchor=\"middle\" font-size=\"13\" font-weight=\"600\" \
         fill=\"#5f6b7a\" letter-spacing=\"0.06em\">PREDICTED</text>",
        left + 1.5 * cw
    );
    let gold_y = top + 1.5 * ch;
    let _ = writeln!(
        out,
        "<text x=\"18\" y=\"{gold_y}\" text-anchor=\"middle\" font-size=\"13\" font-weight=\"600\" \
         fill=\"#5f6b7a\" letter-spacing=\"0.06em\" transform=\"rotate(-90 18 {gold_y})\">GOLD</text>"
    );
    let _ = writeln!(
        out,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"12\" fill=\"#5f6b7a\">n</text>",
        left + 3.0 * cw + 34.0,
        top - 10.0
    );
    for (k, name) in names.iter().enumerate() {
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"600\" \
             fill=\"{}\">{}</text>",
            left + (k as f64 + 0.5) * cw,
            top - 10.0,
            stance_color(name),
            esc(name)
        );
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"14\" font-weight=\"600\" \
             fill=\"{}\">{}</text>",
            left - 12.0,
            top + (k as f64 + 0.5) * ch + 5.0,
            stance_color(name),
            esc(name)
        );
    }
    for (g, row) in input.confusion.iter().enumerate() {
        let total: usize = row.iter().sum();
        let y = top + g as f64 * ch;
        for (p, &count) in row.iter().enumerate() {
            let x = left + p as f64 * cw;
            let share = if total == 0 {
                0.0
            } else {
                count as f64 / total as f64
            };
            let (fill, ink) = heat(share);
            let stroke = if g == p {
                " stroke=\"#1f2933\" stroke-opacity=\"0.35\" stroke-width=\"1.5\""
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"6\" fill=\"{fill}\"{stroke}/>",
                x + 2.0,
                y + 2.0,
                cw - 4.0,
                ch - 4.0
            );
            let percent = if total == 0 {
                "–".to_string()
            } else {
                format!("{:.1}%", 100.0 * share)
            };
            let _ = writeln!(
                out,
                "<text x=\"{cx}\" y=\"{}\" text-anchor=\"middle\" font-size=\"21\" font-weight=\"650\" \
                 fill=\"{ink}\">{}</text><text x=\"{cx}\" y=\"{}\" text-anchor=\"middle\" \
                 font-size=\"12.5\" fill=\"{ink}\" fill-opacity=\"0.85\">{percent}</text>",
                y + ch / 2.0 + 2.0,
                group(count),
                y + ch / 2.0 + 20.0,
                cx = x + cw / 2.0
            );
        }
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"13\" fill=\"#5f6b7a\">{}</text>",
            left + 3.0 * cw + 34.0,
            y + ch / 2.0 + 5.0,
            group(total)
        );
    }
    // Predicted totals under the columns.
    let totals_y = top + 3.0 * ch + 22.0;
    let _ = writeln!(
        out,
        "<text x=\"{}\" y=\"{totals_y}\" text-anchor=\"end\" font-size=\"12\" fill=\"#5f6b7a\">n</text>",
        left - 12.0
    );
    for p in 0..3 {
        let total: usize = input.confusion.iter().map(|row| row[p]).sum();
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{totals_y}\" text-anchor=\"middle\" font-size=\"13\" fill=\"#5f6b7a\">{}</text>",
            left + (p as f64 + 0.5) * cw,
            group(total)
        );
    }
    // Shade scale.
    let (steps, sw) = (10, 16.0);
    let scale_x = left + 1.5 * cw - steps as f64 * sw / 2.0;
    let scale_y = totals_y + 22.0;
    let _ = writeln!(
        out,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"11.5\" fill=\"#5f6b7a\">row share 0%</text>\
         <text x=\"{}\" y=\"{}\" font-size=\"11.5\" fill=\"#5f6b7a\">100%</text>",
        scale_x - 8.0,
        scale_y + 10.0,
        scale_x + steps as f64 * sw + 8.0,
        scale_y + 10.0
    );
    for step in 0..steps {
        let (fill, _) = heat((step as f64 + 0.5) / steps as f64);
        let _ = write!(
            out,
            "<rect x=\"{}\" y=\"{scale_y}\" width=\"{sw}\" height=\"12\" fill=\"{fill}\"/>",
            scale_x + step as f64 * sw
        );
    }
    out.push_str("\n</svg>\n</section>\n");
}

/// Fill and text color of a heatmap cell for a row share in [0, 1].
fn heat(share: f64) -> (String, &'static str) {
    let s = if share.is_finite() {
        share.clamp(0.0, 1.0)
    } else {
        0.0
    };
    // A gentle curve so that small shares are still visible.
    let t = s.powf(0.8);
    let (lo, hi) = ((244.0, 247.0, 251.0), (29.0, 63.0, 110.0));
    let mix = |a: f64, b: f64| (a + (b - a) * t).round() as u8;
    let fill = format!(
        "#{:02x}{:02x}{:02x}",
        mix(lo.0, hi.0),
        mix(lo.1, hi.1),
        mix(lo.2, hi.2)
    );
    (fill, if t > 0.5 { "#ffffff" } else { "#1f2933" })
}

fn per_class(out: &mut String, input: &ReportInput) {
    out.push_str("<section id=\"classes\" class=\"card\">\n<h2>Per class</h2>\n");
    out.push_str("<p class=\"note\">Precision, recall and F1 of each stance.</p>\n");
    if input.classes.is_empty() {
        out.push_str("<p class=\"empty\">No per-class figures.</p>\n</section>\n");
        return;
    }
    let (width, height) = (500.0, 262.0);
    let (left, right, top, bottom) = (40.0, 8.0, 34.0, 44.0);
    let (pw, ph) = (width - left - right, height - top - bottom);
    let y_of = |v: f64| top + ph * (1.0 - unit(v));
    let _ = writeln!(
        out,
        "<svg viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" \
         aria-label=\"Precision, recall and F1 per class\">"
    );
    // Legend.
    let mut lx = left + pw - 3.0 * 92.0 + 10.0;
    for (label, color) in ["precision", "recall", "F1"].iter().zip(METRIC_COLORS) {
        let _ = writeln!(
            out,
            "<rect x=\"{lx}\" y=\"6\" width=\"12\" height=\"12\" rx=\"2\" fill=\"{color}\"/>\
             <text x=\"{}\" y=\"16.5\" font-size=\"12.5\" fill=\"#3e4c59\">{label}</text>",
            lx + 17.0
        );
        lx += 92.0;
    }
    // Grid.
    for tick in [0.0, 0.25, 0.5, 0.75, 1.0] {
        let y = y_of(tick);
        let _ = writeln!(
            out,
            "<line x1=\"{left}\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\" stroke=\"{}\" stroke-width=\"1\"/>\
             <text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"11\" fill=\"#7b8794\">{tick}</text>",
            left + pw,
            if tick == 0.0 { "#9aa5b1" } else { "#e3e7ec" },
            left - 6.0,
            y + 4.0
        );
    }
    let groups = input.classes.len() as f64;
    let gw = pw / groups;
    let bw = (gw * 0.78 / 3.0).min(46.0);
    let gap = 4.0;
    for (k, class) in input.classes.iter().enumerate() {
        let gx = left + k as f64 * gw + (gw - 3.0 * bw - 2.0 * gap) / 2.0;
        let values = [class.precision, class.recall, class.f1];
        for (j, (&v, color)) in values.iter().zip(METRIC_COLORS).enumerate() {
            let x = gx + j as f64 * (bw + gap);
            let y = y_of(v);
            let _ = writeln!(
                out,
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{bw:.1}\" height=\"{:.1}\" rx=\"2\" fill=\"{color}\"/>\
                 <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"10.5\" fill=\"#1f2933\">{}</text>",
                top + ph - y,
                x + bw / 2.0,
                y - 4.0,
                f4(v)
            );
        }
        let cx = left + (k as f64 + 0.5) * gw;
        let _ = writeln!(
            out,
            "<text x=\"{cx:.1}\" y=\"{}\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"600\" \
             fill=\"{}\">{}</text><text x=\"{cx:.1}\" y=\"{}\" text-anchor=\"middle\" font-size=\"11.5\" \
             fill=\"#7b8794\">support {}</text>",
            top + ph + 19.0,
            stance_color(&class.name),
            esc(&class.name),
            top + ph + 36.0,
            group(class.support)
        );
    }
    out.push_str("</svg>\n");
    out.push_str(
        "<table class=\"classes\"><thead><tr><th>class</th><th class=\"num\">precision</th>\
         <th class=\"num\">recall</th><th class=\"num\">F1</th><th class=\"num\">support</th></tr></thead>\n<tbody>\n",
    );
    for class in &input.classes {
        let _ = writeln!(
            out,
            "<tr><td><span class=\"dot\" style=\"background:{}\"></span>{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            stance_color(&class.name),
            esc(&class.name),
            f4(class.precision),
            f4(class.recall),
            f4(class.f1),
            group(class.support)
        );
    }
    out.push_str("</tbody></table>\n</section>\n");
}

/// Reliability diagram: for each confidence bin with rows, a bar as high as the bin's accuracy,
/// the gap up or down to its mean confidence shaded, the diagonal where a calibrated model's
/// bars would end, and a strip of row counts below; next to it the bins as a table.
fn reliability(out: &mut String, input: &ReportInput) {
    let calibration = &input.calibration;
    let total = calibration.rows();
    out.push_str("<section id=\"calibration\" class=\"card\">\n<h2>Calibration</h2>\n");
    let _ = writeln!(
        out,
        "<p class=\"note ece\">Expected calibration error (ECE): <b>{}</b> &mdash; the gap between \
         how often the model is right and how sure it is, averaged over {CALIBRATION_BINS} \
         equal-width bins of the chosen stance&rsquo;s probability, weighted by their rows. \
         0 is perfectly calibrated. A bar below the diagonal is overconfident, above it underconfident; \
         with three stances the chosen one&rsquo;s probability is at least 1/3.</p>",
        f4(calibration.ece())
    );
    if total == 0 {
        out.push_str("<p class=\"empty\">No predictions to bin.</p>\n</section>\n");
        return;
    }
    let (width, height) = (520.0, 432.0);
    let (left, right, top) = (58.0, 14.0, 14.0);
    let (pw, ph) = (width - left - right, 300.0);
    // Row-count strip under the plot.
    let (strip_top, strip_h) = (top + ph + 16.0, 52.0);
    let x_of = |v: f64| left + pw * unit(v);
    let y_of = |v: f64| top + ph * (1.0 - unit(v));
    let most = calibration
        .bins
        .iter()
        .map(|b| b.rows)
        .max()
        .unwrap_or(0)
        .max(1);
    out.push_str("<div class=\"calib\">\n");
    let _ = writeln!(
        out,
        "<svg id=\"reliability\" class=\"reliability\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" \
         height=\"{height}\" role=\"img\" aria-label=\"Reliability diagram: accuracy against confidence \
         per bin, ECE {}\">",
        f4(calibration.ece())
    );
    // Grid and y ticks.
    for tick in [0.0, 0.2, 0.4, 0.6, 0.8, 1.0] {
        let (x, y) = (x_of(tick), y_of(tick));
        let _ = writeln!(
            out,
            "<line x1=\"{left}\" x2=\"{:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"{}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"11\" fill=\"#7b8794\">{tick:.1}</text>\
             <line x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{top}\" y2=\"{:.1}\" stroke=\"#eef1f4\"/>",
            left + pw,
            if tick == 0.0 { "#9aa5b1" } else { "#e3e7ec" },
            left - 7.0,
            y + 4.0,
            top + ph
        );
    }
    // Bars: accuracy; their opacity grows with the bin's rows.
    for (k, bin) in calibration.bins.iter().enumerate() {
        if bin.rows == 0 {
            continue;
        }
        let (lo, hi) = Calibration::edges(k);
        let (x0, x1) = (x_of(lo) + 2.0, x_of(hi) - 2.0);
        let (accuracy, confidence) = (bin.accuracy(), bin.confidence());
        let opacity = 0.35 + 0.65 * (bin.rows as f64 / most as f64).sqrt();
        let _ = writeln!(
            out,
            "<rect class=\"bin\" data-bin=\"{k}\" data-rows=\"{}\" x=\"{x0:.1}\" y=\"{:.1}\" width=\"{:.1}\" \
             height=\"{:.1}\" fill=\"#4f86c6\" fill-opacity=\"{opacity:.2}\"><title>confidence {lo:.1}&ndash;{hi:.1}: \
             {} rows, accuracy {}, mean confidence {}</title></rect>",
            bin.rows,
            y_of(accuracy),
            x1 - x0,
            top + ph - y_of(accuracy),
            group(bin.rows),
            f4(accuracy),
            f4(confidence)
        );
        // The gap between accuracy and mean confidence, hatched.
        let (ya, yc) = (y_of(accuracy), y_of(confidence));
        hatch(out, (x0, ya.min(yc)), (x1 - x0, (ya - yc).abs()));
        // Accuracy at the bin's mean confidence.
        let _ = writeln!(
            out,
            "<circle cx=\"{:.1}\" cy=\"{ya:.1}\" r=\"3.5\" fill=\"#1d3f6e\"/>",
            x_of(confidence)
        );
    }
    // The diagonal: accuracy equal to confidence.
    let _ = writeln!(
        out,
        "<line class=\"diagonal\" x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#1f2933\" \
         stroke-width=\"1.5\" stroke-dasharray=\"6 4\" stroke-opacity=\"0.7\"/>",
        x_of(0.0),
        y_of(0.0),
        x_of(1.0),
        y_of(1.0)
    );
    let _ = writeln!(
        out,
        "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11.5\" fill=\"#3e4c59\" transform=\"rotate(-{:.2} {:.1} {:.1})\">\
         perfectly calibrated</text>",
        x_of(0.06),
        y_of(0.06) - 6.0,
        (ph / pw).atan().to_degrees(),
        x_of(0.06),
        y_of(0.06) - 6.0
    );
    // Axis titles.
    let ay = top + ph / 2.0;
    let _ = writeln!(
        out,
        "<text x=\"14\" y=\"{ay}\" text-anchor=\"middle\" font-size=\"12.5\" font-weight=\"600\" fill=\"#5f6b7a\" \
         transform=\"rotate(-90 14 {ay})\">accuracy (share right)</text>"
    );
    // Row counts: a bar per bin, scaled to the fullest bin, with its count.
    let _ = writeln!(
        out,
        "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"11\" fill=\"#7b8794\">rows</text>\
         <line x1=\"{left}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#9aa5b1\"/>",
        left - 7.0,
        strip_top + strip_h - 2.0,
        left + pw,
        strip_top + strip_h,
        strip_top + strip_h
    );
    for (k, bin) in calibration.bins.iter().enumerate() {
        if bin.rows == 0 {
            continue;
        }
        let (lo, hi) = Calibration::edges(k);
        let (x0, x1) = (x_of(lo) + 2.0, x_of(hi) - 2.0);
        let h = (strip_h - 16.0) * bin.rows as f64 / most as f64;
        let _ = writeln!(
            out,
            "<rect class=\"count\" x=\"{x0:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{h:.1}\" fill=\"#9aa5b1\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"10.5\" fill=\"#3e4c59\">{}</text>",
            strip_top + strip_h - h,
            x1 - x0,
            (x0 + x1) / 2.0,
            strip_top + strip_h - h - 4.0,
            group(bin.rows)
        );
    }
    let label_y = strip_top + strip_h + 16.0;
    for tick in [0.0, 0.2, 0.4, 0.6, 0.8, 1.0] {
        let _ = writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{label_y:.1}\" text-anchor=\"middle\" font-size=\"11\" fill=\"#7b8794\">{tick:.1}</text>",
            x_of(tick)
        );
    }
    let _ = writeln!(
        out,
        "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"12.5\" font-weight=\"600\" fill=\"#5f6b7a\">\
         confidence (probability of the chosen stance)</text>",
        left + pw / 2.0,
        label_y + 22.0
    );
    out.push_str("</svg>\n");
    // Legend and the bins as numbers.
    out.push_str("<div>\n<p class=\"calib-legend\">");
    out.push_str(
        "<span><span class=\"key\" style=\"background:#4f86c6\"></span>accuracy of the bin \
         (darker: more rows)</span>\
         <span><span class=\"key gapkey\"></span>gap to its mean confidence</span>\
         <span><span class=\"dot\" style=\"background:#1d3f6e\"></span>accuracy at the mean confidence</span>",
    );
    out.push_str("</p>\n");
    out.push_str(
        "<table class=\"bins\"><thead><tr><th>confidence</th><th class=\"num\">rows</th>\
         <th class=\"num\">mean conf.</th><th class=\"num\">accuracy</th><th class=\"num\">gap</th></tr></thead>\n<tbody>\n",
    );
    for (k, bin) in calibration.bins.iter().enumerate() {
        if bin.rows == 0 {
            continue;
        }
        let (lo, hi) = Calibration::edges(k);
        let gap = bin.accuracy() - bin.confidence();
        let _ = writeln!(
            out,
            "<tr><td>{lo:.1}&ndash;{hi:.1}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td><td class=\"num {}\">{:+.4}</td></tr>",
            group(bin.rows),
            f4(bin.confidence()),
            f4(bin.accuracy()),
            if gap >= 0.0 { "pos" } else { "neg" },
            gap
        );
    }
    let _ = writeln!(
        out,
        "</tbody></table>\n<p class=\"note\">{} rows; gap is accuracy minus mean confidence \
         (negative: overconfident). Empty bins are left out.</p>\n</div>\n</div>\n</section>",
        group(total)
    );
}

/// A rectangle outlined and hatched in red at 45 degrees (the lines drawn one by one: the report
/// uses no `url(` reference, not even to a pattern of its own).
fn hatch(out: &mut String, (x, y): (f64, f64), (w, h): (f64, f64)) {
    if w <= 0.0 || h < 0.5 {
        return;
    }
    let _ = write!(
        out,
        "<g class=\"gap\" stroke=\"#c53030\" stroke-width=\"1\"><rect x=\"{x:.1}\" y=\"{y:.1}\" \
         width=\"{w:.1}\" height=\"{h:.1}\" fill=\"#c53030\" fill-opacity=\"0.08\" stroke-opacity=\"0.8\"/>"
    );
    // Lines from the bottom edge (offset c) up and to the right, clipped to the rectangle.
    let step = 5.0;
    let mut c = -h + step / 2.0;
    while c < w {
        let (s0, s1) = ((-c).max(0.0), h.min(w - c));
        if s1 > s0 {
            let _ = write!(
                out,
                "<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke-opacity=\"0.6\"/>",
                x + c + s0,
                y + h - s0,
                x + c + s1,
                y + h - s1
            );
        }
        c += step;
    }
    out.push_str("</g>\n");
}

fn per_target(out: &mut String, input: &ReportInput) {
    out.push_str("<section id=\"targets\" class=\"card\">\n<h2>Per target</h2>\n");
    let total = input.per_target.len();
    if total == 0 {
        out.push_str("<p class=\"empty\">No per-target figures.</p>\n</section>\n");
        return;
    }
    let shown = total.min(MAX_TARGETS);
    if total > shown {
        let _ = writeln!(
            out,
            "<p class=\"note\">The {shown} largest of {} targets; {} more not shown.</p>",
            group(total),
            group(total - shown)
        );
    } else {
        let _ = writeln!(
            out,
            "<p class=\"note\">{} {}, largest first.</p>",
            group(total),
            if total == 1 { "target" } else { "targets" }
        );
    }
    out.push_str(
        "<table><thead><tr><th>target</th><th class=\"num\">n</th><th class=\"num\">accuracy</th>\
         <th class=\"num\">macro-F1</th><th class=\"num\">F_avg</th></tr></thead>\n<tbody>\n",
    );
    for row in input.per_target.iter().take(shown) {
        let _ = write!(
            out,
            "<tr><td>{}</td><td class=\"num\">{}</td>",
            esc(&row.target),
            group(row.n)
        );
        for v in [row.accuracy, row.macro_f1, row.f_avg] {
            let _ = write!(out, "<td class=\"num\">{}</td>", data_bar(v));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table>\n</section>\n");
}

/// A number with a thin bar beneath it showing its size in [0, 1].
fn data_bar(v: f64) -> String {
    format!(
        "{}<svg class=\"mini\" viewBox=\"0 0 100 4\" width=\"100\" height=\"4\" preserveAspectRatio=\"none\" \
         style=\"margin:2px 0 0 auto\"><rect width=\"100\" height=\"4\" rx=\"2\" fill=\"#e8edf3\"/>\
         <rect width=\"{:.1}\" height=\"4\" rx=\"2\" fill=\"#4f86c6\"/></svg>",
        f4(v),
        100.0 * unit(v)
    )
}

fn mistakes(out: &mut String, input: &ReportInput) {
    out.push_str("<section id=\"mistakes\">\n<div class=\"card\">\n<h2>Confident mistakes</h2>\n");
    let total = input.mistakes.len();
    if total == 0 {
        let correct: usize = (0..3).map(|k| input.confusion[k][k]).sum();
        if input.n > 0 && correct == input.n {
            out.push_str(
                "<p class=\"empty\">There are no mistakes to show: every statement was classified correctly.</p>\n",
            );
        } else {
            out.push_str("<p class=\"empty\">There are no mistakes to show.</p>\n");
        }
        out.push_str("</div>\n</section>\n");
        return;
    }
    let shown = total.min(MAX_MISTAKES);
    let more = if total > shown {
        format!(" The first {shown} of {} are shown.", group(total))
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "<p class=\"note\">Misclassified statements, the most confident first, with the features that \
         pushed the model toward its wrong answer and those that pushed away from it. \
         The target is highlighted where its name occurs in the text.{more}</p>\n</div>"
    );
    for (rank, m) in input.mistakes.iter().take(shown).enumerate() {
        mistake(out, rank + 1, m);
    }
    out.push_str("</section>\n");
}

fn mistake(out: &mut String, rank: usize, m: &Mistake) {
    out.push_str("<article class=\"card mistake\">\n<div class=\"mhead\">");
    let _ = write!(
        out,
        "<span class=\"rank\">#{rank}</span><span class=\"tag\">{}</span>",
        esc(&m.target)
    );
    if let Some(id) = &m.id {
        let _ = write!(out, "<span class=\"id mono\">{}</span>", esc(id));
    }
    let _ = write!(
        out,
        "<span>gold {} &rarr; predicted {}</span><span class=\"conf\">confidence <b>{}</b></span>",
        badge(&m.gold),
        badge(&m.predicted),
        f4(f64::from(m.confidence))
    );
    out.push_str("</div>\n");
    let _ = writeln!(
        out,
        "<div class=\"text\">{}</div>",
        highlight(&m.text, &m.target)
    );
    prob_bar(out, &m.probabilities);
    out.push_str("<div class=\"contribs\">\n");
    let predicted = esc(&m.predicted);
    contributions(
        out,
        &format!("Toward {predicted}"),
        &m.toward,
        "Nothing pushed toward it.",
    );
    contributions(
        out,
        &format!("Away from {predicted}"),
        &m.against,
        "Nothing pushed away from it.",
    );
    out.push_str("</div>\n</article>\n");
}

fn prob_bar(out: &mut String, probabilities: &[f32; 3]) {
    let (width, height) = (360.0, 18.0);
    let values: [f64; 3] = std::array::from_fn(|k| unit(f64::from(probabilities[k])));
    let sum: f64 = values.iter().sum();
    let scale = if sum > 0.0 { width / sum.max(1.0) } else { 0.0 };
    out.push_str("<div class=\"probs\">");
    let _ = write!(
        out,
        "<svg viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" \
         aria-label=\"Probabilities\"><rect width=\"{width}\" height=\"{height}\" rx=\"4\" fill=\"#e8edf3\"/>"
    );
    let mut x = 0.0;
    for (k, &v) in values.iter().enumerate() {
        let w = v * scale;
        if w <= 0.0 {
            continue;
        }
        let _ = write!(
            out,
            "<rect x=\"{x:.1}\" width=\"{w:.1}\" height=\"{height}\" fill=\"{}\"/>",
            stance_color(STANCES[k])
        );
        if w >= 40.0 {
            let _ = write!(
                out,
                "<text x=\"{:.1}\" y=\"13\" text-anchor=\"middle\" font-size=\"11\" font-weight=\"600\" \
                 fill=\"#ffffff\">{:.0}%</text>",
                x + w / 2.0,
                100.0 * v
            );
        }
        x += w;
    }
    out.push_str("</svg><span class=\"legend\">");
    for (k, name) in STANCES.iter().enumerate() {
        let _ = write!(
            out,
            "<span><span class=\"dot\" style=\"background:{}\"></span>{name} {:.3}</span>",
            stance_color(name),
            probabilities[k]
        );
    }
    out.push_str("</span></div>\n");
}

fn contributions(out: &mut String, title: &str, list: &[Contribution], none: &str) {
    let _ = write!(out, "<div><h3>{title}</h3>");
    if list.is_empty() {
        let _ = writeln!(out, "<p class=\"empty\">{none}</p></div>");
        return;
    }
    let mut sorted: Vec<&Contribution> = list.iter().collect();
    sorted.sort_by(|a, b| b.value.abs().total_cmp(&a.value.abs()));
    out.push_str("<table><tbody>\n");
    for c in sorted.into_iter().take(MAX_CONTRIBUTIONS) {
        let words = if c.words.trim().is_empty() {
            "<span class=\"empty\">&mdash;</span>".to_string()
        } else {
            esc(&c.words)
        };
        let _ = writeln!(
            out,
            "<tr><td>{words}</td><td class=\"feat mono\">{}</td><td class=\"num mono {}\">{:+.4}</td></tr>",
            esc(&c.feature),
            if c.value >= 0.0 { "pos" } else { "neg" },
            c.value
        );
    }
    let extra = list.len().saturating_sub(MAX_CONTRIBUTIONS);
    out.push_str("</tbody></table>");
    if extra > 0 {
        let _ = write!(out, "<p class=\"note\">and {extra} more</p>");
    }
    out.push_str("</div>\n");
}

fn metadata(out: &mut String, input: &ReportInput) {
    out.push_str("<section id=\"metadata\" class=\"card\">\n<h2>Metadata</h2>\n");
    if input.metadata.is_empty() {
        out.push_str("<p class=\"empty\">No metadata.</p>\n</section>\n");
        return;
    }
    out.push_str("<table class=\"meta\"><tbody>\n");
    for (key, value) in &input.metadata {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"mono\">{}</td></tr>",
            esc(key),
            esc(value)
        );
    }
    out.push_str("</tbody></table>\n</section>\n");
}

fn badge(stance: &str) -> String {
    let lower = stance.to_lowercase();
    let class = if STANCES.contains(&lower.as_str()) {
        lower.as_str()
    } else {
        "other"
    };
    format!("<span class=\"badge {class}\">{}</span>", esc(stance))
}

pub(crate) fn stance_color(name: &str) -> &'static str {
    match name.to_lowercase().as_str() {
        "favor" | "favour" => "#2f855a",
        "against" => "#c53030",
        "none" => "#718096",
        _ => "#52606d",
    }
}

/// The text, escaped, with every case-insensitive occurrence of `target` in `<mark>`.
fn highlight(text: &str, target: &str) -> String {
    let needle: Vec<char> = target.trim().chars().collect();
    if needle.is_empty() {
        return esc(text);
    }
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let same = |a: char, b: char| a == b || a.to_lowercase().eq(b.to_lowercase());
    let mut out = String::with_capacity(text.len() + 32);
    let (mut last, mut k) = (0, 0);
    while k + needle.len() <= chars.len() {
        if needle
            .iter()
            .enumerate()
            .all(|(j, &c)| same(chars[k + j].1, c))
        {
            let start = chars[k].0;
            let end = chars
                .get(k + needle.len())
                .map_or(text.len(), |&(at, _)| at);
            out.push_str(&esc(&text[last..start]));
            out.push_str("<mark>");
            out.push_str(&esc(&text[start..end]));
            out.push_str("</mark>");
            last = end;
            k += needle.len();
        } else {
            k += 1;
        }
    }
    out.push_str(&esc(&text[last..]));
    out
}

/// HTML-escapes text for element content and attribute values. "://" is written with an entity
/// colon, so that a URL in a statement shows as text but the file holds no link-like reference.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            ':' if rest.starts_with("://") => out.push_str("&#58;"),
            '\0' => out.push('\u{fffd}'),
            c => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

fn f4(x: f64) -> String {
    format!("{x:.4}")
}

fn unit(v: f64) -> f64 {
    if v.is_finite() {
        v.clamp(0.0, 1.0)
    } else {
        0.0
    }
}

/// 12345 → "12,345".
fn group(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn contribution(words: &str, feature: &str, value: f32) -> Contribution {
        Contribution {
            words: words.into(),
            feature: feature.into(),
            value,
        }
    }

    /// 412 (confidence, correct) pairs, 319 right as in the sample's confusion matrix: most
    /// rows confident, the middle bins a little overconfident.
    fn sample_confidences() -> Vec<(f32, bool)> {
        // (bin centre, rows, right)
        let bins = [
            (0.38, 9, 3),
            (0.45, 21, 9),
            (0.55, 38, 19),
            (0.65, 52, 33),
            (0.75, 71, 53),
            (0.85, 93, 80),
            (0.95, 128, 122),
        ];
        let mut out = Vec::new();
        for (centre, rows, right) in bins {
            for i in 0..rows {
                let spread = (i % 5) as f32 * 0.015 - 0.03;
                out.push((centre + spread, i < right));
            }
        }
        out
    }

    /// A small but complete input; also used to render the sample for screenshots.
    pub(crate) fn sample() -> ReportInput {
        let class = |name: &str, precision, recall, f1, support| ClassRow {
            name: name.into(),
            precision,
            recall,
            f1,
            support,
        };
        let target = |target: &str, n, accuracy, macro_f1, f_avg| TargetRow {
            target: target.into(),
            n,
            accuracy,
            macro_f1,
            f_avg,
        };
        ReportInput {
            title: "stance eval: labeled/test.jsonl".into(),
            generated_by: "stance 0.1.0".into(),
            model: "embedded default model".into(),
            files: vec!["labeled/test.jsonl".into()],
            n: 412,
            statements: 230,
            accuracy: 0.781553,
            macro_f1: 0.7612345,
            f_avg: 0.74499,
            classes: vec![
                class("favor", 0.7931, 0.7419, 0.76666, 124),
                class("against", 0.7203, 0.7727, 0.74558, 132),
                class("none", 0.8228, 0.8013, 0.81192, 156),
            ],
            confusion: [[92, 20, 12], [18, 102, 12], [5, 26, 125]],
            calibration: Calibration::of(sample_confidences()),
            per_target: vec![
                target("Ukraine", 120, 0.8, 0.79, 0.77),
                target("Labour Party", 96, 0.76, 0.74, 0.73),
                target("Donald Trump", 80, 0.7625, 0.75, 0.7412),
                target("<b>Greens</b>", 64, 0.8125, 0.8, 0.78),
                target("EU", 52, 0.75, 0.7, 0.69),
            ],
            mistakes: vec![
                Mistake {
                    id: Some("test-0042".into()),
                    text: "The Labour Party finally said what everyone thought: the plan is a \
                           disaster. <script>alert(1)</script> See https://example.org/x"
                        .into(),
                    target: "labour party".into(),
                    gold: "against".into(),
                    predicted: "favor".into(),
                    confidence: 0.9312,
                    probabilities: [0.9312, 0.0511, 0.0177],
                    toward: vec![
                        contribution("finally said", "finally_said", 0.8123),
                        contribution("what everyone thought", "C:everyon_thought", 0.4411),
                        contribution("Labour Party", "<target>", 0.2013),
                    ],
                    against: vec![
                        contribution("disaster", "disast", -0.6712),
                        contribution("the plan", "C:plan", -0.1022),
                    ],
                },
                Mistake {
                    id: None,
                    text: "Nobody in Kyiv expected the talks to go anywhere.".into(),
                    target: "Ukraine".into(),
                    gold: "none".into(),
                    predicted: "against".into(),
                    confidence: 0.8876,
                    probabilities: [0.041, 0.8876, 0.0714],
                    toward: vec![contribution("Nobody", "nobodi", 0.5521)],
                    against: vec![],
                },
            ],
            metadata: vec![
                ("training files".into(), "labeled/train.jsonl".into()),
                (
                    "model sha256".into(),
                    "9f2c4e1a7b3d5f60c8e2a4b6d8f0a1c3e5b7d9f1a3c5e7b9d1f3a5c7e9b1d3f5".into(),
                ),
                ("options".into(), "--l2 1.0 --char-ngrams none".into()),
            ],
        }
    }

    #[test]
    fn report_has_the_metrics_to_four_decimals_and_svg() {
        let html = render(&sample());
        for figure in ["0.7816", "0.7612", "0.7450"] {
            assert!(html.contains(figure), "{figure} missing");
        }
        assert!(html.contains(&format!("{:.4}", 0.781553)));
        assert!(html.contains("<svg"));
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.trim_end().ends_with("</html>"));
    }

    #[test]
    fn report_escapes_untrusted_text() {
        let html = render(&sample());
        assert!(!html.contains("<script"));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!html.contains("<b>Greens"));
        assert!(html.contains("&lt;b&gt;Greens&lt;/b&gt;"));
        assert!(html.contains("&lt;target&gt;"));
    }

    #[test]
    fn report_has_no_network_references() {
        let html = render(&sample());
        assert!(!html.contains("http://"));
        assert!(!html.contains("https://"));
        assert!(!html.to_lowercase().contains("<script"));
        assert!(!html.contains("<link"));
        assert!(!html.contains("@import"));
        assert!(!html.contains("url("));
    }

    #[test]
    fn report_without_mistakes_says_so() {
        let mut input = sample();
        input.mistakes.clear();
        let html = render(&input);
        assert!(html.contains("There are no mistakes to show."));
        input.confusion = [[124, 0, 0], [0, 132, 0], [0, 0, 156]];
        let html = render(&input);
        assert!(html.contains("every statement was classified correctly"));
    }

    #[test]
    fn report_highlights_the_target_case_insensitively() {
        assert_eq!(
            highlight("The LABOUR party & co", "Labour Party"),
            "The <mark>LABOUR party</mark> &amp; co"
        );
        assert_eq!(highlight("Kyiv <3", "Ukraine"), "Kyiv &lt;3");
        assert_eq!(
            highlight("eu, EU and Eu", "EU"),
            "<mark>eu</mark>, <mark>EU</mark> and <mark>Eu</mark>"
        );
        assert_eq!(
            highlight("Ünïcode ÜNÏ", "ünï"),
            "<mark>Ünï</mark>code <mark>ÜNÏ</mark>"
        );
        assert_eq!(highlight("<x>", " "), "&lt;x&gt;");
        let html = render(&sample());
        assert!(html.contains("<mark>Labour Party</mark>"));
    }

    #[test]
    fn report_caps_targets_and_mistakes() {
        let mut input = sample();
        input.per_target = (0..57)
            .map(|k| TargetRow {
                target: format!("target-{k}"),
                n: 100 - k,
                ..TargetRow::default()
            })
            .collect();
        input.mistakes = vec![input.mistakes[1].clone(); MAX_MISTAKES + 3];
        let html = render(&input);
        assert!(html.contains("target-39<"));
        assert!(!html.contains("target-40<"));
        assert!(html.contains("17 more not shown"));
        assert!(html.contains(&format!("#{MAX_MISTAKES}<")));
        assert!(!html.contains(&format!("#{}<", MAX_MISTAKES + 1)));
    }

    #[test]
    fn report_helpers() {
        assert_eq!(group(0), "0");
        assert_eq!(group(999), "999");
        assert_eq!(group(1000), "1,000");
        assert_eq!(group(1234567), "1,234,567");
        assert_eq!(
            esc("a://b 'c' \"d\""),
            "a&#58;//b &#39;c&#39; &quot;d&quot;"
        );
        assert_eq!(heat(0.0).1, "#1f2933");
        assert_eq!(heat(1.0), ("#1d3f6e".to_string(), "#ffffff"));
        assert_eq!(heat(f64::NAN).0, heat(0.0).0);
    }

    #[test]
    fn report_has_a_reliability_diagram_with_the_ece() {
        let input = sample();
        let html = render(&input);
        assert!(html.contains("<svg id=\"reliability\""));
        assert!(html.contains("<line class=\"diagonal\""));
        assert!(html.contains("href=\"#calibration\""));
        let ece = format!("{:.4}", input.calibration.ece());
        assert!(html.contains(&format!("(ECE): <b>{ece}</b>")), "{ece}");
        // One bar per non-empty bin, carrying its bin and its rows.
        let bars: Vec<&str> = html.split("<rect class=\"bin\"").skip(1).collect();
        let filled: Vec<(usize, usize)> = input
            .calibration
            .bins
            .iter()
            .enumerate()
            .filter(|(_, b)| b.rows > 0)
            .map(|(k, b)| (k, b.rows))
            .collect();
        assert_eq!(bars.len(), filled.len());
        assert_eq!(filled.len(), 7);
        for (bar, (k, rows)) in bars.iter().zip(&filled) {
            assert!(
                bar.starts_with(&format!(" data-bin=\"{k}\" data-rows=\"{rows}\"")),
                "{bar}"
            );
        }
        // Counts are shown under the bars and in the table.
        assert!(html.contains(">128</text>"));
        assert!(html.contains("<td class=\"num\">128</td>"));
        // Accuracy of the top bin: 122 of 128.
        assert!(html.contains(&format!("{:.4}", 122.0 / 128.0)));
    }

    #[test]
    fn report_without_predictions_has_no_bins() {
        let mut input = sample();
        input.calibration = Calibration::default();
        let html = render(&input);
        assert!(html.contains("No predictions to bin."));
        assert!(!html.contains("<rect class=\"bin\""));
        assert!(html.contains("(ECE): <b>0.0000</b>"));
    }

    #[test]
    fn report_renders_an_empty_input() {
        let html = render(&ReportInput::default());
        assert!(html.contains("0.0000"));
        assert!(html.contains("There are no mistakes to show."));
        assert!(html.contains("No per-target figures."));
    }
}
