//! A report as text for a terminal: each section a title and its figures,
//! labels on the left, numbers right-aligned in columns. Widths are
//! measured in terminal cells (a Chinese character takes two), so the
//! columns line up in either language.

use crate::i18n::Lang;
use crate::report::sheet::{Section, Table, Value, width};
use crate::t;

/// Columns are this many spaces apart.
const GAP: usize = 2;
/// Rows are indented this much under their section title, table lines
/// twice as much.
const INDENT: usize = 2;

/// The report as lines of text, ending in a newline.
pub fn render(sections: &[Section], lang: Lang) -> String {
    let mut out = String::new();
    out.push_str(t!(lang, "report.title"));
    out.push('\n');
    for s in sections {
        out.push('\n');
        section(&mut out, s, lang);
    }
    out
}

fn section(out: &mut String, s: &Section, lang: Lang) {
    line(out, s.title.clone());
    if let Some(note) = &s.note {
        line(out, format!("{}{note}", spaces(INDENT)));
    }
    // One label column for the whole section, so its numbers line up.
    let labels = s
        .rows
        .iter()
        .map(|r| INDENT + width(&r.label))
        .chain(s.tables.iter().flat_map(|t| {
            let items = t.items.iter().map(|i| 2 * INDENT + width(&i.label));
            let none = 2 * INDENT + width(t!(lang, "report.none"));
            items.chain([INDENT + width(&t.title), none])
        }))
        .max()
        .unwrap_or(0);
    // Words (the heading) read from the left; numbers line up on the right.
    let words = s
        .rows
        .iter()
        .any(|r| matches!(r.value, Value::Text(_) | Value::Date(_)));
    // The rows' values and those of one-column tables share a column.
    let single = s
        .rows
        .iter()
        .map(|r| width(&r.value.display(lang)))
        .chain(
            s.tables
                .iter()
                .filter(|t| t.columns.len() == 1)
                .flat_map(|t| column_widths(t, lang)),
        )
        .max()
        .unwrap_or(0);
    for r in &s.rows {
        let label = pad(&format!("{}{}", spaces(INDENT), r.label), labels);
        let value = r.value.display(lang);
        let value = if words { value } else { lpad(&value, single) };
        line(out, format!("{label}{}{value}", spaces(GAP)));
    }
    for t in &s.tables {
        if !s.rows.is_empty() || !std::ptr::eq(t, &s.tables[0]) {
            out.push('\n');
        }
        table(out, t, labels, single, lang);
    }
}

fn table(out: &mut String, t: &Table, labels: usize, single: usize, lang: Lang) {
    let widths: Vec<usize> = if t.columns.len() == 1 {
        vec![single]
    } else {
        column_widths(t, lang)
    };
    let mut header = pad(&format!("{}{}", spaces(INDENT), t.title), labels);
    for (c, w) in t.columns.iter().zip(&widths) {
        header.push_str(&spaces(GAP));
        header.push_str(&lpad(&c.label, *w));
    }
    line(out, header);
    if t.items.is_empty() {
        line(
            out,
            format!("{}{}", spaces(2 * INDENT), t!(lang, "report.none")),
        );
    }
    for i in &t.items {
        let mut l = pad(&format!("{}{}", spaces(2 * INDENT), i.label), labels);
        for (v, w) in i.values.iter().zip(&widths) {
            l.push_str(&spaces(GAP));
            l.push_str(&lpad(&v.display(lang), *w));
        }
        line(out, l);
    }
}

/// The width of each column of `t`: its header or its widest value.
fn column_widths(t: &Table, lang: Lang) -> Vec<usize> {
    t.columns
        .iter()
        .enumerate()
        .map(|(n, c)| {
            t.items
                .iter()
                .filter_map(|i| i.values.get(n))
                .map(|v| width(&v.display(lang)))
                .chain([width(&c.label)])
                .max()
                .unwrap_or(0)
        })
        .collect()
}

fn line(out: &mut String, l: String) {
    out.push_str(l.trim_end());
    out.push('\n');
}

fn spaces(n: usize) -> String {
    " ".repeat(n)
}

/// `s` then spaces, to `cells` wide.
fn pad(s: &str, cells: usize) -> String {
    format!("{s}{}", spaces(cells.saturating_sub(width(s))))
}

/// Spaces then `s`, to `cells` wide.
fn lpad(s: &str, cells: usize) -> String {
    format!("{}{s}", spaces(cells.saturating_sub(width(s))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sheet::tests::sample;
    use crate::report::sheet::{Scope, sections};

    fn report(lang: Lang) -> String {
        render(
            &sections(&sample(), &Scope::All { stations: 2 }, lang),
            lang,
        )
    }

    /// The line that starts (after its indent) with `label`.
    fn line_of<'a>(text: &'a str, label: &str) -> &'a str {
        text.lines()
            .find(|l| l.trim_start().starts_with(label))
            .unwrap_or_else(|| panic!("no line {label} in\n{text}"))
    }

    #[test]
    fn numbers_line_up_in_chinese() {
        let text = report(Lang::ZhCn);
        // Rows and one-column tables of a section end in the same cell.
        let ends: Vec<usize> = ["服务人次", "实名登记人次", "快递员", "饮水", "2026-11-02"]
            .iter()
            .map(|l| width(line_of(&text, l)))
            .collect();
        assert!(ends.iter().all(|e| *e == ends[0]), "{ends:?}\n{text}");
        assert!(line_of(&text, "服务人次").ends_with(" 12"));
        // Labels of different widths start their numbers past the widest.
        let l = line_of(&text, "匿名计数人次");
        assert!(l.starts_with("  匿名计数人次  "), "{l:?}");
        // The columns of a wide table: every line as wide as its header.
        let cases = text.split("按案件类型").nth(1).unwrap_or_default();
        let header = line_of(&text, "按案件类型");
        for ty in ["欠薪", "工伤", "其他"] {
            assert_eq!(width(line_of(cases, ty)), width(header), "{text}");
        }
        let wage = line_of(cases, "欠薪");
        assert!(
            wage.contains("169.74万") && wage.ends_with("9,800.00元"),
            "{wage}"
        );
    }

    #[test]
    fn money_rates_and_days_as_staff_write_them() {
        let text = report(Lang::ZhCn);
        assert!(
            line_of(&text, "主张金额（新立案件）").ends_with("169.75万"),
            "{text}"
        );
        assert!(line_of(&text, "调解成功率").ends_with("83.3%"), "{text}");
        assert!(line_of(&text, "办结中位天数").ends_with("3.5 天"), "{text}");
        assert!(line_of(&text, "站点数").ends_with("2"), "{text}");
        assert!(text.contains("咨询预约不区分站点"), "{text}");
        let en = report(Lang::En);
        assert!(line_of(&en, "Amount claimed").ends_with("¥1,697,450.50"));
        assert!(line_of(&en, "Mediation success rate").ends_with("83.3%"));
        assert!(line_of(&en, "14:00–15:00").ends_with(" 5"), "{en}");
        assert!(en.starts_with("Figures\n\nOverview\n  From"), "{en}");
    }

    #[test]
    fn an_empty_breakdown_says_so_and_no_line_ends_in_spaces() {
        let mut f = sample();
        f.visits.by_hour = [0; 24];
        let text = render(
            &sections(&f, &Scope::All { stations: 1 }, Lang::ZhCn),
            Lang::ZhCn,
        );
        let after = text.split("高峰时段").nth(1).unwrap_or_default();
        assert!(after.lines().nth(1) == Some("    无"), "{text}");
        assert!(text.lines().all(|l| l == l.trim_end()));
    }
}
