//! Text broken into lines of a width in cells (Chinese counts two), as
//! every message, refusal and note of the console and the kiosk wraps: one
//! rule, so no screen cuts a message where another would not.

use unicode_width::UnicodeWidthChar;

/// Characters a line should not start with (they close what comes before).
pub const NO_LINE_START: &str = "，。、：；！？）」』》〉】”’,.;:!?)]}%";
/// Characters a line should not end with (they open what comes after).
const NO_LINE_END: &str = "¥￥$（「『《〈【“‘([{";
/// Where a line best ends, when one is near: after a separator.
const GOOD_LINE_END: &str = "，。、；！？ ,;";
/// How near (in cells) a good end must be to be preferred.
const GOOD_END_REACH: usize = 8;

/// `s` broken into lines of at most `cells` cells (Chinese counts two):
/// between Chinese characters or at a space, keeping a run of Latin letters
/// and digits (a word, an amount) whole when it is short, and not starting
/// a line with closing punctuation. Line breaks in `s` are kept (blank
/// lines are not). Never empty.
pub fn wrap(s: &str, cells: usize) -> Vec<String> {
    let cells = cells.max(4);
    let cw = |c: char| UnicodeWidthChar::width(c).unwrap_or(0);
    let text = |l: &[char]| l.iter().collect::<String>().trim().to_owned();
    let mut out = Vec::new();
    for para in s.split('\n') {
        let mut line: Vec<char> = Vec::new();
        let mut w = 0;
        for c in para.chars() {
            let c = if c.is_control() { ' ' } else { c };
            if w + cw(c) > cells {
                let at = break_at(&line, c, cells);
                let rest = line.split_off(at);
                out.push(text(&line));
                line = rest.into_iter().skip_while(|c| *c == ' ').collect();
                w = line.iter().map(|c| cw(*c)).sum();
                if c == ' ' && line.is_empty() {
                    continue;
                }
            }
            line.push(c);
            w += cw(c);
        }
        let last = text(&line);
        if !last.is_empty() {
            out.push(last);
        }
    }
    if out.is_empty() {
        out.push(String::new());
    }
    out
}

/// Where to break `line` (full) before `c` in `cells`: after a separator
/// close by, else at the last place allowed if what moves down is short,
/// else right here.
fn break_at(line: &[char], c: char, cells: usize) -> usize {
    let cw = |c: &char| UnicodeWidthChar::width(*c).unwrap_or(0);
    let next = |k: usize| line.get(k).copied().unwrap_or(c);
    // Whether a line may break between `a` and `b`.
    let allowed = |k: usize| {
        let (a, b) = (line[k - 1], next(k));
        !NO_LINE_START.contains(b)
            && !NO_LINE_END.contains(a)
            && (a == ' ' || b == ' ' || !a.is_ascii() || !b.is_ascii())
    };
    // Places from the end, while what moves down is narrower than `reach`.
    let places = |reach: usize| {
        (1..=line.len())
            .rev()
            .take_while(move |k| line[*k..].iter().map(cw).sum::<usize>() < reach)
            .filter(move |k| allowed(*k))
    };
    places(GOOD_END_REACH.min(cells / 2))
        .find(|k| GOOD_LINE_END.contains(line[*k - 1]))
        .or_else(|| places(cells / 2).next())
        .unwrap_or(line.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::widgets::width;

    #[test]
    fn text_wraps_in_cells_keeping_words_and_amounts_whole() {
        let l = wrap("已登记工资条，合计546,587.11元", 20);
        assert_eq!(l, ["已登记工资条，", "合计546,587.11元"]);
        let l = wrap("the claimant was paid in full", 12);
        assert_eq!(l, ["the claimant", "was paid in", "full"]);
        // No line starts with a closing mark.
        let l = wrap("一二三四五六，七八", 12);
        assert!(l.iter().all(|x| !x.starts_with('，')), "{l:?}");
        assert!(l.iter().all(|x| width(x) <= 12), "{l:?}");
        // Names break after their separator; ¥ stays with its amount.
        let l = wrap("加入申请人：张三丰、李四、王五", 26);
        assert_eq!(l, ["加入申请人：张三丰、李四、", "王五"]);
        let l = wrap("主张金额 ¥12,000.00", 12);
        assert_eq!(l, ["主张金额", "¥12,000.00"]);
        // Line breaks are kept; blank lines dropped; never empty.
        assert_eq!(
            wrap("第一次调解\n\n对方同意", 40),
            ["第一次调解", "对方同意"]
        );
        assert_eq!(wrap("", 40), [""]);
        // A word longer than the line is cut.
        let l = wrap(&"x".repeat(30), 12);
        assert_eq!(l.len(), 3);
        assert!(l.iter().all(|x| width(x) <= 12));
    }

    #[test]
    fn wrapping_keeps_every_character() {
        let en = "slot length must be between 10 and 240 minutes and fit the period";
        let lines = wrap(en, 30);
        assert!(lines.iter().all(|l| width(l) <= 30), "{lines:?}");
        assert_eq!(lines.join(" "), en);
        let zh = "每个时段应为10到240分钟，且不超出排班时间";
        let lines = wrap(zh, 16);
        assert!(lines.iter().all(|l| width(l) <= 16), "{lines:?}");
        assert_eq!(lines.concat(), zh);
        assert_eq!(
            wrap("Passed on to the Labour arbitration commission", 20),
            ["Passed on to the", "Labour arbitration", "commission"]
        );
    }
}
