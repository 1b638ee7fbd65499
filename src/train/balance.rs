//! Class balancing: how many times `--balance` repeats each class's rows.

use crate::data::Stance;

/// Class rebalancing without sample weights (linfa-logistic has none): each row of a class is
/// repeated round(largest class / its class) times, which is the same objective as integer weights.
pub(super) fn balanced(indices: &[usize], labels: &[usize]) -> Vec<usize> {
    let (_, repeats) = class_repeats(indices, labels);
    let mut out = Vec::with_capacity(indices.len() * 2);
    for &i in indices {
        out.extend(std::iter::repeat_n(i, repeats[labels[i]]));
    }
    out
}

/// Rows per class among `indices`, and how many times `balanced` repeats each class's rows.
fn class_repeats(indices: &[usize], labels: &[usize]) -> ([usize; 3], [usize; 3]) {
    let mut counts = [0usize; 3];
    for &i in indices {
        counts[labels[i]] += 1;
    }
    let largest = counts.iter().copied().max().unwrap_or(0) as f64;
    let repeats = counts.map(|c| {
        if c == 0 {
            1
        } else {
            (largest / c as f64).round().max(1.0) as usize
        }
    });
    (counts, repeats)
}

/// Whether `--balance` would repeat any of these rows (class indices): whole-number repeats
/// change nothing while no class is under two thirds of the largest.
pub fn balancing_repeats_rows(labels: &[usize]) -> bool {
    let all: Vec<usize> = (0..labels.len()).collect();
    class_repeats(&all, labels).1.iter().any(|&r| r > 1)
}

/// Tells the user when `--balance` leaves the pooled data as it is (`balancing_repeats_rows`).
pub(super) fn balance_note(labels: &[usize]) -> Option<String> {
    let all: Vec<usize> = (0..labels.len()).collect();
    let (counts, repeats) = class_repeats(&all, labels);
    repeats.iter().all(|&r| r == 1).then(|| {
        let classes: Vec<String> = Stance::ALL
            .iter()
            .map(|s| format!("{} {}", s.name(), counts[s.index()]))
            .collect();
        format!(
            "--balance repeated no row of the pooled model: its classes ({}) are within 1.5× of \
             each other, and rows are repeated a whole number of times",
            classes.join(", ")
        )
    })
}
