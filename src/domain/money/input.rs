//! Reading an amount as staff type it: Arabic figures with or without
//! thousands separators, Chinese numerals in 小写 (一万二千) and 大写
//! (壹万贰仟元整), the short spoken forms (三千五, 1万2, 三块五, 五毛) and
//! any mix of these (3千, 2万5千, 1.5万).
//!
//! The text is cut into tokens (a run of Arabic figures, a Chinese digit, a
//! unit such as 千 or 万, a currency word such as 元 or 角), then read from
//! the left in two steps: the whole yuan ([`read_yuan`]), then the 角 and
//! 分 ([`read_cents`]). Nothing is guessed: a unit out of order, a 零 that
//! stands for no missing place, or a short form that could mean two amounts
//! is refused with the character at fault.
//!
//! Values are `u128` and saturate instead of overflowing: anything that big
//! is refused as over [`Fen::MAX`] at the end.

use unicode_normalization::UnicodeNormalization;

use super::Fen;
use crate::domain::error::ValidationError;

type E = ValidationError;

/// Parses `input` as an amount of money in yuan; see [`Fen::parse`].
pub(super) fn parse(input: &str) -> Result<Fen, ValidationError> {
    let normalised: String = input.nfkc().collect();
    let s = normalised.trim();
    if s.is_empty() {
        return Err(E::MoneyEmpty);
    }
    let (negative, rest) = strip_prefixes(s);
    let tokens = tokenize(rest)?;
    if !tokens
        .iter()
        .any(|t| t.kind.is_number() || matches!(t.kind, Kind::Unit(_)))
    {
        return Err(E::MoneyNotNumber);
    }
    let mut reader = Reader {
        tokens: &tokens,
        pos: 0,
    };
    let fen = read_amount(&mut reader)?;
    match fen {
        0 => Ok(Fen(0)),
        _ if negative => Err(E::MoneyNegative),
        _ => match i64::try_from(fen) {
            Ok(v) if v <= Fen::MAX.0 => Ok(Fen(v)),
            _ => Err(E::MoneyTooLarge {
                max_yuan: super::MAX_YUAN,
            }),
        },
    }
}

/// Strips what may stand before the figure, each at most once and in any
/// order: a minus (`-`, `−`, `负`), `¥` (NFKC has turned `￥` into it) and
/// `人民币`. Says whether there was a minus.
fn strip_prefixes(s: &str) -> (bool, &str) {
    let (mut negative, mut yen, mut rmb) = (false, false, false);
    let mut rest = s;
    loop {
        rest = rest.trim_start();
        let minus = ["-", "\u{2212}", "负", "負"]
            .iter()
            .find_map(|m| rest.strip_prefix(m));
        if let Some(r) = minus.filter(|_| !negative) {
            negative = true;
            rest = r;
        } else if let Some(r) = rest.strip_prefix('¥').filter(|_| !yen) {
            yen = true;
            rest = r;
        } else if let Some(r) = rest.strip_prefix("人民币").filter(|_| !rmb) {
            rmb = true;
            rest = r;
        } else {
            return (negative, rest);
        }
    }
}

// --- tokens -------------------------------------------------------------

/// A run of Arabic figures: `16,974.00` is `int = "16974"`, `frac =
/// Some("00")`, `grouped`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Figures {
    int: String,
    frac: Option<String>,
    grouped: bool,
}

impl Figures {
    /// Reads `12`, `1,234.5`, `.5`, `12.`; refuses misplaced separators.
    fn read(run: &str) -> Result<Figures, ValidationError> {
        let (int_part, frac) = match run.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (run, None),
        };
        if frac.is_some_and(|f| !f.bytes().all(|b| b.is_ascii_digit()))
            || (int_part.is_empty() && frac.is_none_or(str::is_empty))
        {
            return Err(E::MoneyNotNumber);
        }
        let grouped = int_part.contains(',');
        if grouped {
            // Groups of exactly three after a first group of one to three
            // that does not start with 0: 1,234,567 but not 0,500 or 12,34.
            let mut groups = int_part.split(',');
            let first_ok = groups
                .next()
                .is_some_and(|g| (1..=3).contains(&g.len()) && !g.starts_with('0'));
            if !first_ok || !groups.all(|g| g.len() == 3) {
                return Err(E::MoneyBadGrouping);
            }
        }
        Ok(Figures {
            int: int_part.chars().filter(char::is_ascii_digit).collect(),
            frac: frac.map(str::to_owned),
            grouped,
        })
    }

    /// A whole number written with figures only: `12`, `007`, `1,000`.
    fn is_integer(&self) -> bool {
        self.frac.is_none()
    }

    /// The figure of a one-figure whole number (`5`, not `05` nor `5.`).
    fn single(&self) -> Option<u8> {
        match self.int.as_bytes() {
            [d] if self.frac.is_none() => Some(d - b'0'),
            _ => None,
        }
    }

    fn int_value(&self) -> u128 {
        digits_value(&self.int)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    /// Arabic figures.
    Figures(Figures),
    /// 一 to 九, 两, 壹 to 玖: 1 to 9.
    Digit(u8),
    /// 零 or 〇.
    Zero,
    /// 十, 百, 千 (拾, 佰, 仟): their power of ten.
    Unit(u32),
    /// 万 (4) or 亿 (8).
    Big(u32),
    /// 点, the spoken decimal point.
    Point,
    /// 元, 块, 圆.
    Yuan,
    /// 角, 毛.
    Jiao,
    /// 分.
    Fen,
    /// 整 or 正, closing the amount.
    Whole,
    /// 钱, after 块, 毛 or 分.
    Qian,
}

impl Kind {
    fn is_number(&self) -> bool {
        matches!(self, Kind::Figures(_) | Kind::Digit(_) | Kind::Zero)
    }

    /// A single Chinese character, or `None` if it has no place in an amount.
    fn of_char(c: char) -> Option<Kind> {
        Some(match c {
            '一' | '壹' => Kind::Digit(1),
            '二' | '两' | '兩' | '贰' | '貳' => Kind::Digit(2),
            '三' | '叁' | '參' | '叄' => Kind::Digit(3),
            '四' | '肆' => Kind::Digit(4),
            '五' | '伍' => Kind::Digit(5),
            '六' | '陆' | '陸' => Kind::Digit(6),
            '七' | '柒' => Kind::Digit(7),
            '八' | '捌' => Kind::Digit(8),
            '九' | '玖' => Kind::Digit(9),
            '零' | '〇' => Kind::Zero,
            '十' | '拾' => Kind::Unit(1),
            '百' | '佰' => Kind::Unit(2),
            '千' | '仟' => Kind::Unit(3),
            '万' | '萬' => Kind::Big(4),
            '亿' | '億' => Kind::Big(8),
            '点' | '點' => Kind::Point,
            '元' | '块' | '塊' | '圆' | '圓' => Kind::Yuan,
            '角' | '毛' => Kind::Jiao,
            '分' => Kind::Fen,
            '整' | '正' => Kind::Whole,
            '钱' | '錢' => Kind::Qian,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Token {
    kind: Kind,
    /// The (first) character it was read from, to name it in a refusal.
    ch: char,
}

/// Cuts the text into tokens; spaces only separate them.
fn tokenize(s: &str) -> Result<Vec<Token>, ValidationError> {
    let mut tokens = Vec::new();
    let mut chars = s.chars().peekable();
    let is_figure = |c: char| c.is_ascii_digit() || c == ',' || c == '.';
    while let Some(c) = chars.next() {
        if c.is_whitespace() {
            continue;
        }
        let kind = if is_figure(c) {
            let mut run = String::from(c);
            while let Some(&next) = chars.peek().filter(|&&n| is_figure(n)) {
                run.push(next);
                chars.next();
            }
            Kind::Figures(Figures::read(&run)?)
        } else {
            Kind::of_char(c).ok_or(E::MoneyNotNumber)?
        };
        tokens.push(Token { kind, ch: c });
    }
    Ok(tokens)
}

struct Reader<'a> {
    tokens: &'a [Token],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn peek(&self) -> Option<&'a Token> {
        self.tokens.get(self.pos)
    }

    fn next(&mut self) -> Option<&'a Token> {
        let t = self.tokens.get(self.pos);
        self.pos += usize::from(t.is_some());
        t
    }
}

fn misplaced(t: &Token) -> ValidationError {
    E::MoneyMisplaced { ch: t.ch }
}

// --- arithmetic ---------------------------------------------------------

fn pow10(n: u32) -> u128 {
    10u128.saturating_pow(n)
}

/// The value of a string of ASCII digits, saturating.
fn digits_value(digits: &str) -> u128 {
    digits.bytes().fold(0u128, |acc, b| {
        acc.saturating_mul(10)
            .saturating_add(u128::from(b.wrapping_sub(b'0')))
    })
}

/// The highest place holding a non-zero digit of `v > 0` (0 for units).
fn top_place(v: u128) -> u32 {
    v.checked_ilog10().unwrap_or(0)
}

/// The lowest place holding a non-zero digit of `v > 0`.
fn lowest_place(mut v: u128) -> u32 {
    let mut place = 0;
    while v > 0 && v.is_multiple_of(10) {
        v /= 10;
        place += 1;
    }
    place
}

/// `int.frac` times ten to the `places`, in fen: `1.5` with 万 (4) is
/// 1,500,000 fen. Refuses a fraction finer than one fen.
fn decimal_fen(int: u128, frac: &str, places: u32) -> Result<u128, ValidationError> {
    let frac = frac.trim_end_matches('0');
    let scale = places + 2;
    let len = u32::try_from(frac.len()).unwrap_or(u32::MAX);
    if len > scale {
        return Err(E::MoneyTooPrecise);
    }
    Ok(int
        .saturating_mul(pow10(scale))
        .saturating_add(digits_value(frac).saturating_mul(pow10(scale - len))))
}

// --- the whole amount ---------------------------------------------------

/// Reads the tokens as one amount, in fen.
fn read_amount(r: &mut Reader) -> Result<u128, ValidationError> {
    let yuan = read_yuan(r)?;
    let Some(next) = r.peek() else {
        return Ok(yuan.fen());
    };
    match (&next.kind, &yuan) {
        (Kind::Yuan, Yuan::None) => Err(misplaced(next)),
        (Kind::Yuan, _) => {
            r.next();
            let cents = read_cents(r, Some(next), &yuan)?;
            Ok(yuan.fen().saturating_add(cents))
        }
        (Kind::Whole, Yuan::None) => Err(misplaced(next)),
        (Kind::Whole, _) => {
            r.next();
            match r.peek() {
                Some(t) => Err(misplaced(t)),
                None => Ok(yuan.fen()),
            }
        }
        // 五毛, 五角五分: only cents.
        (k, Yuan::None) if k.is_number() => read_cents(r, None, &yuan),
        _ => Err(misplaced(next)),
    }
}

/// The yuan before any 元, 角 or 分.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Yuan {
    /// No yuan at all: the amount is only 角 and 分 (五毛).
    None,
    /// Whole yuan: 角 and 分 may follow after 元.
    Whole(u128),
    /// A decimal (`1.5万`, `三点五`), in fen: nothing may follow but 元 or 整.
    Decimal(u128),
}

impl Yuan {
    fn fen(self) -> u128 {
        match self {
            Yuan::None => 0,
            Yuan::Whole(y) => y.saturating_mul(100),
            Yuan::Decimal(f) => f,
        }
    }
}

/// A number read but not yet given its place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pending {
    /// 一 to 九, or a single Arabic figure.
    Digit(u8, char),
    /// Arabic figures, with how many were written (`0200` is 4).
    Figures {
        value: u128,
        len: usize,
        grouped: bool,
        ch: char,
    },
    /// 零 as the whole number so far: 零元五角, 零点五.
    Nought,
}

/// The state of reading whole yuan, from the largest unit down.
///
/// Places are counted within the current group below 万 (units 0, 十 1,
/// 百 2, 千 3), and a group is closed by 万 or 亿.
struct Whole {
    /// Closed groups (…万, …亿), in yuan.
    closed: u128,
    /// The open group, in yuan.
    group: u128,
    /// Whether anything was put in the open group.
    group_read: bool,
    /// The next unit must take a place below this.
    ceiling: u32,
    /// The lowest place holding a non-zero digit so far: a 零 must stand
    /// for at least one empty place below it.
    lowest: u32,
    /// The last 十, 百, 千, 万 or 亿 read, and its place: the one a short
    /// form counts down from (1万2 is 1万2千).
    last_unit: Option<(char, u32)>,
    pending: Option<Pending>,
    /// Whether the pending number was written in figures.
    pending_figures: bool,
    /// A 零 not yet followed by what it stands before.
    zero: Option<char>,
    seen_wan: bool,
    seen_yi: bool,
    /// Whether any number was read.
    any: bool,
}

/// Reads whole yuan (or a decimal) up to 元, 角, 分, 整 or the end.
fn read_yuan(r: &mut Reader) -> Result<Yuan, ValidationError> {
    let mut w = Whole {
        closed: 0,
        group: 0,
        group_read: false,
        ceiling: 4,
        lowest: u32::MAX,
        last_unit: None,
        pending: None,
        pending_figures: false,
        zero: None,
        seen_wan: false,
        seen_yi: false,
        any: false,
    };
    while let Some(t) = r.peek() {
        // A number right before 角 or 分 belongs to the cents (五毛), which
        // come after 元 when there are whole yuan (not 三千五角).
        if t.kind.is_number()
            && let Some(unit) = r
                .tokens
                .get(r.pos + 1)
                .filter(|u| matches!(u.kind, Kind::Jiao | Kind::Fen))
        {
            if w.any {
                return Err(misplaced(unit));
            }
            break;
        }
        match &t.kind {
            Kind::Figures(f) if !f.is_integer() => {
                r.next();
                return w.arabic_decimal(r, f, t);
            }
            Kind::Figures(f) => {
                let pending = match f.single() {
                    Some(d) if d > 0 => Pending::Digit(d, t.ch),
                    _ => Pending::Figures {
                        value: f.int_value(),
                        len: f.int.len(),
                        grouped: f.grouped,
                        ch: t.ch,
                    },
                };
                w.take(pending, t)?;
            }
            Kind::Digit(d) => w.take(Pending::Digit(*d, t.ch), t)?,
            Kind::Zero if !w.any => w.take(Pending::Nought, t)?,
            Kind::Zero => {
                if w.pending.is_some() || w.zero.is_some() {
                    return Err(misplaced(t));
                }
                w.zero = Some(t.ch);
            }
            Kind::Unit(p) => w.unit(*p, t)?,
            Kind::Big(p) => w.big(*p, t)?,
            Kind::Point => {
                r.next();
                return w.chinese_decimal(r, t);
            }
            Kind::Yuan | Kind::Jiao | Kind::Fen | Kind::Whole | Kind::Qian => break,
        }
        r.next();
    }
    w.finish()
}

impl Whole {
    /// Holds a number until what follows says its place.
    fn take(&mut self, pending: Pending, t: &Token) -> Result<(), ValidationError> {
        let figures = matches!(t.kind, Kind::Figures(_));
        match self.pending {
            // `1 000`: two runs of figures side by side.
            Some(_) if figures && self.pending_figures => Err(E::MoneyNotNumber),
            Some(_) => Err(misplaced(t)),
            None => {
                self.pending = Some(pending);
                self.pending_figures = figures;
                self.any = true;
                Ok(())
            }
        }
    }

    /// Puts `digit` times ten to the `place` into the open group.
    fn put(&mut self, digit: u8, place: u32, t: &Token) -> Result<(), ValidationError> {
        if place >= self.ceiling {
            return Err(misplaced(t));
        }
        if let Some(z) = self.zero.take()
            && place + 1 >= self.lowest
        {
            // 一千零五百: the 零 stands for no empty place.
            return Err(E::MoneyMisplaced { ch: z });
        }
        self.group = self
            .group
            .saturating_add(u128::from(digit).saturating_mul(pow10(place)));
        self.group_read = true;
        self.ceiling = place;
        self.lowest = place;
        Ok(())
    }

    /// 十, 百 or 千 after its digit. 十 alone is 一十 where it starts the
    /// number, or follows 零 or 百 (十五, 一万零十五, 一百十五), not after a
    /// gap with no 零 (一万十五).
    fn unit(&mut self, place: u32, t: &Token) -> Result<(), ValidationError> {
        let alone_ok = !self.any || self.zero.is_some() || (self.group_read && self.ceiling == 2);
        let digit = match self.pending.take() {
            Some(Pending::Digit(d, _)) => d,
            None if place == 1 && alone_ok => 1,
            _ => return Err(misplaced(t)),
        };
        self.put(digit, place, t)?;
        self.last_unit = Some((t.ch, place));
        self.any = true;
        Ok(())
    }

    /// 万 or 亿: closes the open group.
    fn big(&mut self, place: u32, t: &Token) -> Result<(), ValidationError> {
        match self.pending.take() {
            Some(Pending::Nought) => return Err(misplaced(t)),
            // 五万, 1200万, 1,000万: the number is the whole group.
            Some(Pending::Digit(d, _)) if !self.group_read && self.zero.is_none() => {
                self.group = u128::from(d);
                self.group_read = true;
            }
            Some(Pending::Figures { value, .. }) if !self.group_read && self.zero.is_none() => {
                self.group = value;
                self.group_read = true;
            }
            // 二十五万, 三千零五万.
            Some(p) => self.place_rest(p, false)?,
            None => {}
        }
        if let Some(z) = self.zero {
            return Err(E::MoneyMisplaced { ch: z });
        }
        let repeated = if place == 8 {
            self.seen_yi
        } else {
            self.seen_wan
        };
        // 一万亿: 亿 counts the 万 before it.
        let wan_yi = place == 8 && !self.group_read && self.seen_wan;
        if repeated || !(wan_yi || (self.group_read && self.group > 0)) {
            // 万万, 万 alone, 0万.
            return Err(misplaced(t));
        }
        if place == 8 {
            self.closed = self
                .closed
                .saturating_add(self.group)
                .saturating_mul(pow10(8));
            self.seen_yi = true;
            self.seen_wan = false;
        } else {
            self.closed = self
                .closed
                .saturating_add(self.group.saturating_mul(pow10(4)));
            self.seen_wan = true;
        }
        if self.group > 0 {
            self.lowest = place + lowest_place(self.group);
        }
        self.group = 0;
        self.group_read = false;
        self.ceiling = 4;
        self.last_unit = Some((t.ch, place));
        Ok(())
    }

    /// Places the number read after the last unit: the units of 二十五,
    /// the gap after 一千零, a short form (三千五, 1万2) only at the very
    /// end (`at_end`), or figures filling every place below the unit
    /// (1万0200).
    fn place_rest(&mut self, pending: Pending, at_end: bool) -> Result<(), ValidationError> {
        let (value, len, grouped, ch) = match pending {
            Pending::Digit(d, ch) => (u128::from(d), 1, false, ch),
            Pending::Figures {
                value,
                len,
                grouped,
                ch,
            } => (value, len, grouped, ch),
            Pending::Nought => (0, 1, false, '零'),
        };
        if let Some(z) = self.zero.take() {
            // 一千零五, 1万零500: a value that fits below the empty place.
            if value == 0 || grouped || top_place(value) + 1 >= self.lowest {
                return Err(E::MoneyMisplaced { ch: z });
            }
        } else if let Some((unit, place)) = self.last_unit {
            let value = match (len, place) {
                (_, _) if grouped => return Err(E::MoneyAmbiguous { unit }),
                // 十0, 3千0: a 0 standing for nothing.
                (1, _) if value == 0 => return Err(E::MoneyMisplaced { ch }),
                (1, 1) => value,
                (n, p) if n == p as usize => value,
                (1, p) if at_end => value.saturating_mul(pow10(p - 1)),
                _ => return Err(E::MoneyAmbiguous { unit }),
            };
            self.group = self.group.saturating_add(value);
            self.group_read = true;
            return Ok(());
        }
        self.group = self.group.saturating_add(value);
        self.group_read = true;
        Ok(())
    }

    /// The end of whole yuan.
    fn finish(mut self) -> Result<Yuan, ValidationError> {
        if let Some(p) = self.pending.take() {
            self.place_rest(p, true)?;
        }
        if let Some(z) = self.zero {
            // 一千零: 零 before nothing.
            return Err(E::MoneyMisplaced { ch: z });
        }
        Ok(match self.any {
            false => Yuan::None,
            true => Yuan::Whole(self.closed.saturating_add(self.group)),
        })
    }

    /// `16,974.00`, `169.74万`, `1.5千`: figures with a decimal point, as
    /// the whole amount, with at most one unit after them.
    fn arabic_decimal(
        &mut self,
        r: &mut Reader,
        f: &Figures,
        t: &Token,
    ) -> Result<Yuan, ValidationError> {
        if self.any || self.zero.is_some() {
            return Err(misplaced(t));
        }
        let frac = f.frac.as_deref().unwrap_or("");
        let fen = times_unit(r, f.int_value(), frac)?;
        Ok(Yuan::Decimal(fen))
    }

    /// 三点五, 一点二五万, 一万点五: a spoken decimal.
    fn chinese_decimal(&mut self, r: &mut Reader, point: &Token) -> Result<Yuan, ValidationError> {
        match self.pending.take() {
            Some(p) => self.place_rest(p, false)?,
            None if !self.any => return Err(misplaced(point)),
            None => {}
        }
        if let Some(z) = self.zero {
            return Err(E::MoneyMisplaced { ch: z });
        }
        // The digits after 点 are read one by one: 三点一四 (not 两), or
        // figures (3点14), not both.
        let mut frac = String::new();
        let mut figures = None;
        while let Some(t) = r.peek() {
            let (digits, is_figures) = match &t.kind {
                Kind::Digit(d) => (char::from(b'0' + d).to_string(), false),
                Kind::Zero => ("0".to_owned(), false),
                Kind::Figures(f) if f.is_integer() && !f.grouped => (f.int.clone(), true),
                _ => break,
            };
            if figures.is_some_and(|f| f != is_figures) || matches!(t.ch, '两' | '兩') {
                return Err(misplaced(t));
            }
            frac.push_str(&digits);
            figures = Some(is_figures);
            r.next();
        }
        if frac.is_empty() {
            return Err(misplaced(point));
        }
        let int = self.closed.saturating_add(self.group);
        if self.closed > 0 || self.seen_wan || self.seen_yi {
            // 一万点五: no unit may follow.
            if let Some(t) = r
                .peek()
                .filter(|t| matches!(t.kind, Kind::Unit(_) | Kind::Big(_)))
            {
                return Err(misplaced(t));
            }
        }
        Ok(Yuan::Decimal(times_unit(r, int, &frac)?))
    }
}

/// `int.frac` in fen, times the 百, 千, 万 or 亿 that may follow (and is
/// then read). Before 百 or 千 the number must be below 10 (1.5千, not
/// 12.5千), and 十 never follows a decimal.
fn times_unit(r: &mut Reader, int: u128, frac: &str) -> Result<u128, ValidationError> {
    let places = match r.peek() {
        Some(t) => match t.kind {
            Kind::Unit(p) if int >= 10 || p == 1 => return Err(misplaced(t)),
            Kind::Unit(p) | Kind::Big(p) => {
                r.next();
                p
            }
            _ => 0,
        },
        None => 0,
    };
    decimal_fen(int, frac, places)
}

// --- 角 and 分 ----------------------------------------------------------

/// What the cents reader read last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Last {
    /// Nothing yet: the amount is only cents (五毛).
    Start,
    /// 元, 块 or 圆.
    Yuan,
    /// 角 or 毛.
    Jiao,
    /// 分.
    Fen,
    /// A digit with no unit after it (the 五 of 三块五).
    Bare,
}

/// Reads the 角 and 分 after `yuan_token` (元, 块, 圆), or alone when
/// there were no yuan: `五角五分`, `三块五`, `五毛五`, `壹元零伍分`, `3元50`,
/// and a closing 整 or 钱. Returns fen.
fn read_cents(
    r: &mut Reader,
    yuan_token: Option<&Token>,
    yuan: &Yuan,
) -> Result<u128, ValidationError> {
    let mut last = if yuan_token.is_some() {
        Last::Yuan
    } else {
        Last::Start
    };
    let mut last_unit = yuan_token.map(|t| t.ch);
    let (mut jiao, mut fen) = (None::<u8>, None::<u8>);
    let mut zero: Option<char> = None;
    // 零 may stand before 角 only for an empty units place (壹拾元零伍角).
    let units_empty = matches!(yuan, Yuan::Whole(y) if y % 10 == 0);
    while let Some(t) = r.next() {
        let number = match &t.kind {
            _ if matches!(yuan, Yuan::Decimal(_)) && !matches!(t.kind, Kind::Whole) => {
                return Err(misplaced(t));
            }
            Kind::Zero if zero.is_none() && matches!(last, Last::Yuan | Last::Start) => {
                zero = Some(t.ch);
                continue;
            }
            Kind::Digit(d) => (u128::from(*d), 1),
            Kind::Figures(f) if f.is_integer() && !f.grouped => (f.int_value(), f.int.len()),
            Kind::Whole | Kind::Qian => {
                let after_unit = matches!(last, Last::Yuan | Last::Jiao | Last::Fen);
                let ok = match t.kind {
                    Kind::Qian => after_unit,
                    _ => last != Last::Start,
                };
                if !ok || zero.is_some() {
                    return Err(misplaced(t));
                }
                return match r.peek() {
                    Some(next) => Err(misplaced(next)),
                    None => Ok(cents(jiao, fen)),
                };
            }
            _ => return Err(misplaced(t)),
        };
        let (value, len) = number;
        let digit = u8::try_from(value).ok().filter(|_| len == 1);
        match r.peek().map(|n| (&n.kind, n)) {
            Some((Kind::Jiao, unit)) => {
                r.next();
                if let Some(z) = zero.take()
                    && !(last == Last::Yuan && units_empty)
                {
                    // 壹元零伍角: no empty place for the 零.
                    return Err(E::MoneyMisplaced { ch: z });
                }
                if digit.is_none() || jiao.is_some() || fen.is_some() || last == Last::Bare {
                    return Err(misplaced(unit));
                }
                jiao = digit;
                last = Last::Jiao;
                last_unit = Some(unit.ch);
            }
            Some((Kind::Fen, unit)) => {
                r.next();
                if let Some(z) = zero.take()
                    && jiao.is_some()
                {
                    return Err(E::MoneyMisplaced { ch: z });
                }
                if digit.is_none() || fen.is_some() || last == Last::Bare {
                    return Err(misplaced(unit));
                }
                fen = digit;
                last = Last::Fen;
                last_unit = Some(unit.ch);
            }
            _ => {
                // A number after the last unit with none of its own.
                let unit = last_unit.unwrap_or(t.ch);
                match (last, zero.take(), digit) {
                    // 三块零五: 5 分.
                    (Last::Yuan, Some(_), Some(d)) => fen = Some(d),
                    // 三块五: 5 角.
                    (Last::Yuan, None, Some(d)) => jiao = Some(d),
                    // 3元50, 3元05.
                    (Last::Yuan, None, None) if len == 2 => {
                        jiao = u8::try_from(value / 10).ok();
                        fen = u8::try_from(value % 10).ok();
                    }
                    // 五毛五: 5 分.
                    (Last::Jiao, None, Some(d)) => fen = Some(d),
                    (Last::Yuan | Last::Jiao, None, _) => {
                        return Err(E::MoneyAmbiguous { unit });
                    }
                    _ => return Err(misplaced(t)),
                }
                last = Last::Bare;
            }
        }
    }
    if let Some(z) = zero {
        return Err(E::MoneyMisplaced { ch: z });
    }
    Ok(cents(jiao, fen))
}

fn cents(jiao: Option<u8>, fen: Option<u8>) -> u128 {
    u128::from(jiao.unwrap_or(0)) * 10 + u128::from(fen.unwrap_or(0))
}

#[cfg(test)]
mod tests;
