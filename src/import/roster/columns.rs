//! Which column holds what: found by the headers (Chinese or English, as
//! teams write them), or, in a roster without a header row, told by what
//! the columns hold.

use std::collections::BTreeMap;

use unicode_normalization::UnicodeNormalization;

use super::Column;
use super::cells;
use super::source::{Cell, Line};

/// How many lines from the top a header row may be found at (the lines
/// above it are the list's title).
const HEADER_WITHIN: usize = 10;
/// The share of a column's values that must read as one kind for a
/// column without a header to be taken for it.
const MOST: f64 = 0.6;

/// Where the columns of a roster are.
#[derive(Debug, Default)]
pub(super) struct Layout {
    pub header_line: Option<usize>,
    /// The index of the first line after the header (0 without one).
    pub first_data: usize,
    /// Lines above the header, with their text.
    pub titles: Vec<(usize, String)>,
    at: BTreeMap<Column, (usize, Option<String>)>,
    pub ignored: Vec<String>,
}

impl Layout {
    /// The index of the cell that holds `column`.
    pub fn at(&self, column: Column) -> Option<usize> {
        self.at.get(&column).map(|(i, _)| *i)
    }

    /// The columns kept and their headers as written.
    pub fn kept(&self) -> Vec<(Column, Option<String>)> {
        self.at
            .iter()
            .map(|(c, (_, header))| (*c, header.clone()))
            .collect()
    }
}

/// The layout of a roster's non-blank lines.
pub(super) fn layout(lines: &[Line]) -> Layout {
    let header = lines.iter().take(HEADER_WITHIN).position(is_header);
    let Some(h) = header else {
        let mut layout = Layout::default();
        guess(lines, &mut layout);
        return layout;
    };
    let line = &lines[h];
    let mut layout = Layout {
        header_line: Some(line.line),
        first_data: h + 1,
        titles: lines[..h].iter().map(|l| (l.line, joined(l))).collect(),
        ..Layout::default()
    };
    let mut unknown = Vec::new();
    for (i, cell) in line.cells.iter().enumerate() {
        let written = cell.shown();
        if written.is_empty() {
            continue;
        }
        match column_of(&written) {
            Some(c) if !layout.at.contains_key(&c) => {
                layout.at.insert(c, (i, Some(written)));
            }
            _ => unknown.push((i, written)),
        }
    }
    // Without a header for the names, a column of names under a header
    // waystation does not know (工人, 农民工 …) is taken for them.
    if !layout.at.contains_key(&Column::Name) {
        let free: Vec<usize> = unknown.iter().map(|(i, _)| *i).collect();
        guess_names(&lines[h + 1..], &mut layout, &free);
        if let Some((i, header)) = layout.at.get_mut(&Column::Name)
            && let Some((_, written)) = unknown.iter().find(|(u, _)| u == i)
        {
            *header = Some(written.clone());
        }
    }
    let taken: Vec<usize> = layout.at.values().map(|(i, _)| *i).collect();
    for (i, written) in unknown {
        if !taken.contains(&i) && !layout.ignored.contains(&written) {
            layout.ignored.push(written);
        }
    }
    layout
}

fn joined(l: &Line) -> String {
    l.cells
        .iter()
        .map(Cell::shown)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A line is the header row when a cell of it is a header as teams write
/// them (姓名, 手机号 …) or two cells hold one (a title such as 欠薪名单
/// holds a header's word, alone), and none of its cells is a value (a
/// number, a mobile, an ID number).
fn is_header(l: &Line) -> bool {
    let texts = || {
        l.cells.iter().filter_map(|c| match c {
            Cell::Text(s) => Some(s.as_str()),
            _ => None,
        })
    };
    let exact = texts().any(|s| exact_column(s).is_some());
    let named = texts().filter(|s| column_of(s).is_some()).count();
    (exact || named >= 2)
        && !l.cells.iter().any(|c| {
            matches!(c, Cell::Int(_) | Cell::Number(_))
                || cells::mobile_like(c)
                || cells::id_like(c)
        })
}

/// A header as compared: full-width forms folded (NFKC), lower case,
/// without spaces, a trailing `:` or `*`, or a unit in brackets
/// (`欠薪金额（元）`, `Amount (RMB)`).
fn normalised(header: &str) -> String {
    let mut h: String = header
        .nfkc()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_lowercase();
    loop {
        let before = h.len();
        h = h.trim_end_matches([':', '*', '.']).to_owned();
        if h.ends_with(')')
            && let Some(open) = h.rfind('(')
            && open > 0
        {
            h.truncate(open);
        }
        if h.len() == before {
            return h;
        }
    }
}

/// Headers as teams write them, after [`normalised`].
const HEADERS: &[(Column, &[&str])] = &[
    (
        Column::Name,
        &[
            "姓名",
            "名字",
            "工人姓名",
            "员工姓名",
            "职工姓名",
            "人员姓名",
            "name",
            "fullname",
            "worker",
            "workername",
        ],
    ),
    (
        Column::Mobile,
        &[
            "手机",
            "手机号",
            "手机号码",
            "电话",
            "电话号码",
            "联系电话",
            "联系方式",
            "联系手机",
            "phone",
            "mobile",
            "tel",
            "telephone",
            "phonenumber",
            "mobilenumber",
            "cellphone",
        ],
    ),
    (
        Column::ResidentId,
        &[
            "身份证",
            "身份证号",
            "身份证号码",
            "证件号",
            "证件号码",
            "公民身份号码",
            "id",
            "idno",
            "idnumber",
            "idcard",
            "residentid",
        ],
    ),
    (
        Column::Trade,
        &[
            "工种",
            "职业",
            "岗位",
            "职务",
            "行业",
            "trade",
            "job",
            "occupation",
        ],
    ),
    (
        Column::Amount,
        &[
            "欠薪",
            "欠款",
            "金额",
            "欠薪金额",
            "欠款金额",
            "应发工资",
            "未付工资",
            "拖欠工资",
            "欠发工资",
            "应付工资",
            "amount",
            "owed",
            "amountowed",
            "wagesowed",
            "unpaidwages",
            "claimed",
        ],
    ),
];

/// The column a header as teams write it names.
fn exact_column(header: &str) -> Option<Column> {
    let h = normalised(header);
    HEADERS
        .iter()
        .find(|(_, words)| words.contains(&h.as_str()))
        .map(|(c, _)| *c)
}

/// The column a header names, if waystation keeps it: a header as teams
/// write it, or a longer one that says what it holds.
pub(super) fn column_of(header: &str) -> Option<Column> {
    if let Some(c) = exact_column(header) {
        return Some(c);
    }
    let h = normalised(header);
    // Longer headers that say what they hold: 欠薪金额合计, 本人手机号 …
    let has = |words: &[&str]| words.iter().any(|w| h.contains(w));
    if has(&["卡号", "账号", "银行", "开户"]) {
        return None;
    }
    if has(&["身份证", "证件号"]) {
        Some(Column::ResidentId)
    } else if has(&["手机", "电话"]) {
        Some(Column::Mobile)
    } else if has(&["欠薪", "欠款", "金额", "工资", "薪资", "薪酬"])
        && !has(&["已付", "已发", "已支付", "已结"])
    {
        Some(Column::Amount)
    } else if has(&["姓名"]) {
        Some(Column::Name)
    } else {
        None
    }
}

/// The columns of a roster without a header row, each taken by what most
/// of its values are: ID numbers, mobiles, trades, amounts, then names.
fn guess(lines: &[Line], layout: &mut Layout) {
    let width = lines.iter().map(|l| l.cells.len()).max().unwrap_or(0);
    let mut free: Vec<usize> = (0..width).collect();
    let mut take = |column: Column, free: &mut Vec<usize>, is: &dyn Fn(&Cell) -> bool| {
        // The column where most values read as `column`; the rightmost of
        // equals (an amount is the last column of most lists).
        let best = free
            .iter()
            .filter_map(|i| share(lines, *i, is).map(|s| (*i, s)))
            .filter(|(_, s)| *s >= MOST)
            .max_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        if let Some((i, _)) = best {
            layout.at.insert(column, (i, None));
            free.retain(|f| *f != i);
        }
    };
    take(Column::ResidentId, &mut free, &cells::id_like);
    take(Column::Mobile, &mut free, &cells::mobile_like);
    take(Column::Trade, &mut free, &cells::trade_like);
    free.retain(|i| !is_serial(lines, *i));
    take(Column::Amount, &mut free, &cells::amount_like);
    guess_names(lines, layout, &free);
}

/// Takes the leftmost of `free` columns whose values are mostly names.
fn guess_names(lines: &[Line], layout: &mut Layout, free: &[usize]) {
    let names = free
        .iter()
        .find(|i| share(lines, **i, &cells::name_like).is_some_and(|s| s >= MOST));
    if let Some(i) = names {
        layout.at.insert(Column::Name, (*i, None));
    }
}

/// The share of a column's non-empty values for which `is` holds; `None`
/// for a column with no value.
fn share(lines: &[Line], i: usize, is: &dyn Fn(&Cell) -> bool) -> Option<f64> {
    let (mut n, mut yes) = (0usize, 0usize);
    for l in lines {
        let c = l.cell(i);
        if c.is_empty() {
            continue;
        }
        n += 1;
        yes += usize::from(is(c));
    }
    (n > 0).then(|| yes as f64 / n as f64)
}

/// A column that counts the rows, 1, 2, 3 … (序号 without its header).
fn is_serial(lines: &[Line], i: usize) -> bool {
    let values: Vec<String> = lines
        .iter()
        .map(|l| l.cell(i).shown())
        .filter(|s| !s.is_empty())
        .collect();
    values.len() >= 2
        && values
            .iter()
            .enumerate()
            .all(|(k, v)| v.parse::<usize>().ok() == Some(k + 1))
}
