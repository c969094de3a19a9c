//! The slip a worker takes away when a case is opened: the case number,
//! the station, the handler as workers address them (王老师), what happens
//! next, and a QR code of the case number with how to follow it at the
//! kiosk. Nothing on it names the worker: no name, phone or ID number (a
//! slip left on a table tells nobody who asked for help).
//!
//! The console draws the code in Unicode half-blocks, dark on light
//! whatever the terminal's colours (`Slip::half_blocks`); `Slip::html`
//! writes a page to print, the code as an SVG of one square per module.

use chrono::{DateTime, NaiveDate, Utc};
use qrcode::{EcLevel, QrCode};

use crate::domain::case::{Case, CaseType};
use crate::domain::ids::CaseId;
use crate::i18n::Lang;
use crate::store::{Result, Store};
use crate::t;

/// Light modules around the code: the standard asks for 4; 2 keep the
/// code within 80×24 and ordinary phone cameras read it from a screen.
pub const QUIET: usize = 2;

/// What a slip says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slip {
    pub number: String,
    pub station: String,
    /// "王老师": the handler's family name, as workers address staff.
    pub handler: Option<String>,
    pub case_type: CaseType,
    pub opened: NaiveDate,
    pub follow_up: Option<NaiveDate>,
    /// What the code carries: the case number and where to follow it.
    pub payload: String,
}

/// The modules of a QR code with its quiet zone, row by row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Modules {
    pub width: usize,
    pub dark: Vec<bool>,
}

impl Modules {
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.width && y < self.width && self.dark[y * self.width + x]
    }
}

impl Slip {
    /// The slip of case `id`, in `lang`; `None` when there is no such case.
    pub fn of(store: &Store, id: CaseId, lang: Lang) -> Result<Option<Slip>> {
        let Some(case) = store.case(id)? else {
            return Ok(None);
        };
        let station = store
            .station_by_id(case.station)?
            .map(|s| s.name)
            .unwrap_or_default();
        let handler = match case.handler {
            Some(h) => store
                .staff()?
                .into_iter()
                .find(|s| s.id == h)
                .map(|s| addressed(&s.name, lang)),
            None => None,
        };
        let tz = store.time_zone()?;
        let mut slip = Slip::new(&case, station, handler, tz, lang);
        // A follow-up already past promises nothing now: no date then.
        let now = i64::try_from((store.clock())()).unwrap_or(0);
        let today = DateTime::from_timestamp_millis(now)
            .unwrap_or_default()
            .with_timezone(&tz)
            .date_naive();
        slip.follow_up = slip.follow_up.filter(|d| *d >= today);
        Ok(Some(slip))
    }

    fn new(
        case: &Case,
        station: String,
        handler: Option<String>,
        tz: chrono_tz::Tz,
        lang: Lang,
    ) -> Slip {
        let number = case.number.to_string();
        let local = |at: DateTime<Utc>| at.with_timezone(&tz).date_naive();
        Slip {
            payload: t!(lang, "slip.payload", number = number),
            number,
            station,
            handler,
            case_type: case.case_type,
            opened: local(case.opened_at),
            follow_up: case.follow_up,
        }
    }

    /// The code's modules, quiet zone included.
    pub fn modules(&self) -> Modules {
        // The payload is at most a few dozen bytes: it always fits.
        let code = QrCode::with_error_correction_level(self.payload.as_bytes(), EcLevel::L)
            .or_else(|_| QrCode::new(self.number.as_bytes()))
            .ok();
        let Some(code) = code else {
            return Modules {
                width: 0,
                dark: Vec::new(),
            };
        };
        let inner = code.width();
        let width = inner + 2 * QUIET;
        let colors = code.to_colors();
        let mut dark = vec![false; width * width];
        for y in 0..inner {
            for x in 0..inner {
                dark[(y + QUIET) * width + x + QUIET] =
                    colors[y * inner + x] == qrcode::Color::Dark;
            }
        }
        Modules { width, dark }
    }

    /// The code as rows of half-blocks, two modules a cell: each cell's
    /// upper and lower module are dark or not (the console draws dark as
    /// black on white, whatever the terminal's colours).
    pub fn half_blocks(&self) -> Vec<String> {
        let m = self.modules();
        (0..m.width.div_ceil(2))
            .map(|row| {
                (0..m.width)
                    .map(
                        |x| match (m.is_dark(x, 2 * row), m.is_dark(x, 2 * row + 1)) {
                            (true, true) => '█',
                            (true, false) => '▀',
                            (false, true) => '▄',
                            (false, false) => ' ',
                        },
                    )
                    .collect()
            })
            .collect()
    }

    /// The slip's lines of text, beside the code.
    pub fn lines(&self, lang: Lang) -> Vec<String> {
        let mut out = vec![
            t!(lang, "slip.title").to_owned(),
            t!(lang, "slip.number", number = self.number),
            t!(lang, "slip.station", station = self.station),
            t!(lang, "slip.kind", kind = self.case_type.label(lang)),
            t!(lang, "slip.opened", date = self.opened.format("%Y-%m-%d")),
        ];
        if let Some(h) = &self.handler {
            out.push(t!(lang, "slip.handler", handler = h));
        }
        out.push(String::new());
        out.push(match self.follow_up {
            Some(d) => t!(lang, "slip.next_dated", date = d.format("%Y-%m-%d")),
            None => t!(lang, "slip.next").to_owned(),
        });
        out.push(t!(lang, "slip.bring").to_owned());
        out.push(t!(lang, "slip.kiosk").to_owned());
        out
    }

    /// A page to print (A6 and up): the text and the code as an SVG of one
    /// square per dark module.
    pub fn html(&self, lang: Lang) -> String {
        let m = self.modules();
        let mut svg = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {w}\" width=\"{px}\" height=\"{px}\" shape-rendering=\"crispEdges\">\
             <rect width=\"{w}\" height=\"{w}\" fill=\"#fff\"/>",
            w = m.width,
            px = m.width * 6
        );
        for y in 0..m.width {
            for x in 0..m.width {
                if m.is_dark(x, y) {
                    svg.push_str(&format!(
                        "<rect x=\"{x}\" y=\"{y}\" width=\"1\" height=\"1\" fill=\"#000\"/>"
                    ));
                }
            }
        }
        svg.push_str("</svg>");
        let lines = self
            .lines(lang)
            .iter()
            .map(|l| {
                if l.is_empty() {
                    "<br>".to_owned()
                } else {
                    format!("<p>{}</p>", escape(l))
                }
            })
            .collect::<String>();
        format!(
            "<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{title}</title>\
             <style>body{{font-family:sans-serif;max-width:16cm;margin:1cm}}p{{margin:.2em 0}}\
             .code{{margin-top:1em}}</style></head><body>\n{lines}\n<div class=\"code\">{svg}</div>\n</body></html>\n",
            lang = match lang {
                Lang::ZhCn => "zh-CN",
                Lang::En => "en",
            },
            title = escape(&t!(lang, "slip.number", number = self.number)),
        )
    }
}

/// How workers address a staff member: the family name and 老师 (a
/// compound family name whole: 欧阳老师); a name in Latin letters by its
/// first word.
pub fn addressed(name: &str, lang: Lang) -> String {
    let name = name.trim();
    let family = if name.is_ascii() {
        // "Li 老师": a space after a name in letters.
        format!("{} ", name.split_whitespace().next().unwrap_or(name))
    } else {
        const COMPOUND: [&str; 16] = [
            "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "令狐", "慕容", "尉迟", "长孙", "宇文",
            "司徒", "夏侯", "公孙", "端木", "南宫",
        ];
        match COMPOUND.iter().find(|c| name.starts_with(*c)) {
            Some(c) => (*c).to_owned(),
            None => name.chars().next().map(String::from).unwrap_or_default(),
        }
    };
    t!(lang, "slip.teacher", family = family)
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staff_are_addressed_by_their_family_name() {
        assert_eq!(addressed("王芳", Lang::ZhCn), "王老师");
        assert_eq!(addressed("欧阳娜娜", Lang::ZhCn), "欧阳老师");
        assert_eq!(addressed("Li Ming", Lang::En), "Li 老师");
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(escape("<a & \"b\">"), "&lt;a &amp; &quot;b&quot;&gt;");
    }
}
