//! The printed lines: a figure, its target and whether it was met; they are printed as they are
//! measured and again, in order, in a closing summary.

use std::sync::{Mutex, PoisonError};

static SUMMARY: Mutex<Vec<(u8, String)>> = Mutex::new(Vec::new());

/// Which way a target points.
#[derive(Debug, Clone, Copy)]
pub enum Goal {
    AtLeast(f64),
    AtMost(f64),
}

impl Goal {
    fn met(self, value: f64) -> bool {
        match self {
            Goal::AtLeast(bound) => value >= bound,
            Goal::AtMost(bound) => value <= bound,
        }
    }

    fn text(self, unit: &str) -> String {
        match self {
            Goal::AtLeast(bound) => format!(">= {bound}{unit}"),
            Goal::AtMost(bound) => format!("<= {bound}{unit}"),
        }
    }
}

/// Prints one measured figure against its target.
pub fn line(number: u8, what: &str, value: f64, unit: &str, goal: Goal) {
    let verdict = if goal.met(value) { "PASS" } else { "MISS" };
    let figure = if value.fract() == 0.0 && value.abs() < 1e12 {
        format!("{value:.0}{unit}")
    } else {
        format!("{value:.3}{unit}")
    };
    let text = format!(
        "{number}. {what:<52} {figure:>10}   target {:<9} {verdict}",
        goal.text(unit)
    );
    println!("{text}");
    SUMMARY
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push((number, text));
}

/// Prints every figure again, by number.
pub fn summary() {
    let mut lines = SUMMARY
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    lines.sort_by_key(|(number, _)| *number);
    heading("Summary");
    for (_, text) in lines {
        println!("{text}");
    }
}

/// Prints a detail under a figure.
pub fn detail(text: impl AsRef<str>) {
    println!("     {}", text.as_ref());
}

/// Prints a heading.
pub fn heading(text: impl AsRef<str>) {
    println!();
    println!("== {}", text.as_ref());
}
