//! Labels that are probably wrong: each labeled row's given stance against out-of-fold
//! probabilities (`cv::out_of_fold_probabilities`), least likely first — the rows a second look
//! pays for (the idea behind cleanlab's label issues, with a model that retrains in seconds).

use crate::data::{Example, Stance};

/// A labeled row and what the out-of-fold model thinks of its label.
#[derive(Debug, Clone, PartialEq)]
pub struct Suspect {
    /// Index of the row among the examples.
    pub index: usize,
    pub given: Stance,
    /// The stance the model finds most likely.
    pub suggested: Stance,
    pub p_given: f32,
    pub p_suggested: f32,
}

/// Every labeled row, the least likely label first (ties in row order, so the ranking is
/// deterministic). `probabilities` are in `Stance::ALL` order.
pub fn suspects(examples: &[Example], probabilities: &[[f32; 3]]) -> Vec<Suspect> {
    let mut suspects: Vec<Suspect> = examples
        .iter()
        .zip(probabilities)
        .enumerate()
        .filter_map(|(index, (example, p))| {
            let given = example.stance?;
            let best = crate::model::argmax(p);
            let suggested = Stance::ALL[best];
            Some(Suspect {
                index,
                given,
                suggested,
                p_given: p[given.index()],
                p_suggested: p[best],
            })
        })
        .collect();
    suspects.sort_by(|a, b| a.p_given.total_cmp(&b.p_given).then(a.index.cmp(&b.index)));
    suspects
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example(stance: Stance) -> Example {
        Example {
            id: None,
            text: "t".into(),
            target: Some("NATO".into()),
            stance: Some(stance),
            spans: None,
            line: 1,
            source: 0,
        }
    }

    #[test]
    fn rows_rank_by_the_probability_of_their_label() {
        let examples = [
            example(Stance::Favor),
            example(Stance::Against),
            example(Stance::None),
            example(Stance::Favor),
        ];
        let p = [
            [0.8, 0.1, 0.1],   // agrees
            [0.5, 0.3, 0.2],   // against given 0.3
            [0.05, 0.9, 0.05], // none given 0.05
            [0.3, 0.6, 0.1],   // favor given 0.3: ties with row 1, row order wins
        ];
        let found = suspects(&examples, &p);
        let order: Vec<usize> = found.iter().map(|s| s.index).collect();
        assert_eq!(order, [2, 1, 3, 0]);
        assert_eq!(found[0].suggested, Stance::Against);
        assert_eq!(found[0].p_suggested, 0.9);
    }
}
