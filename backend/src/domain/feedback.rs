//! Feedback questionnaires, aggregated so that nobody can tell who said what.

use super::DomainError;

/// Results are released in batches of this many answers: with fewer, or answer by answer,
/// the provider being evaluated could tell who said what (by watching the averages move
/// after a known person answered). Until the first batch is complete nothing is shown;
/// then averages and comments cover the first `k × RELEASE_BATCH` answers in arrival
/// order, and move only when a whole batch more has arrived.
pub const RELEASE_BATCH: usize = 5;

/// Scores of one questionnaire (1–5 each).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scores {
    pub content: i16,
    pub teacher: i16,
    pub organisation: i16,
    pub usefulness: i16,
}

/// Checks the scores, naming each one out of range.
pub fn check_scores(s: &Scores) -> Vec<DomainError> {
    [
        ("content", s.content),
        ("teacher", s.teacher),
        ("organisation", s.organisation),
        ("usefulness", s.usefulness),
    ]
    .into_iter()
    .filter(|(_, v)| !(1..=5).contains(v))
    .map(|(field, _)| DomainError::invalid(field, "un voto da 1 a 5"))
    .collect()
}

/// Averages over many questionnaires.
#[derive(Debug, Clone, PartialEq)]
pub struct Aggregate {
    /// Questionnaires answered.
    pub answers: usize,
    /// How many of them the averages and comments cover (whole batches only).
    pub released: usize,
    pub content: Option<f64>,
    pub teacher: Option<f64>,
    pub organisation: Option<f64>,
    pub usefulness: Option<f64>,
    /// Non-empty comments, sorted, or none when too few answers.
    pub comments: Vec<String>,
}

/// Averages (one decimal) and comments of the questionnaires, given in arrival order,
/// over whole batches of [`RELEASE_BATCH`] only.
pub fn aggregate(answered: &[(Scores, String)]) -> Aggregate {
    let released = answered.len() / RELEASE_BATCH * RELEASE_BATCH;
    let all = &answered[..released];
    let average = |pick: fn(&Scores) -> i16| {
        (!all.is_empty()).then(|| {
            let sum: f64 = all.iter().map(|(s, _)| f64::from(pick(s))).sum();
            (sum / all.len() as f64 * 10.0).round() / 10.0
        })
    };
    let mut comments: Vec<String> = all
        .iter()
        .map(|(_, c)| c.trim().to_owned())
        .filter(|c| !c.is_empty())
        .collect();
    comments.sort();
    Aggregate {
        answers: answered.len(),
        released,
        content: average(|s| s.content),
        teacher: average(|s| s.teacher),
        organisation: average(|s| s.organisation),
        usefulness: average(|s| s.usefulness),
        comments,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scores(v: i16) -> Scores {
        Scores {
            content: v,
            teacher: v,
            organisation: v,
            usefulness: v,
        }
    }

    #[test]
    fn nothing_shows_before_a_whole_batch_and_results_move_a_batch_at_a_time() {
        let answers: Vec<(Scores, String)> = (1..=12)
            .map(|i| {
                (
                    scores(if i <= 5 { 4 } else { 2 }),
                    format!("commento {i:02}"),
                )
            })
            .collect();
        let four = aggregate(&answers[..4]);
        assert_eq!((four.answers, four.released, four.content), (4, 0, None));
        assert!(four.comments.is_empty());
        let five = aggregate(&answers[..5]);
        assert_eq!((five.released, five.content), (5, Some(4.0)));
        assert_eq!(five.comments.len(), 5);
        // The sixth to ninth answers change nothing that is shown.
        for n in 6..=9 {
            let a = aggregate(&answers[..n]);
            assert_eq!(
                (a.released, a.content, &a.comments),
                (5, Some(4.0), &five.comments)
            );
        }
        let ten = aggregate(&answers[..10]);
        assert_eq!((ten.released, ten.content), (10, Some(3.0)));
        assert_eq!(aggregate(&answers).released, 10);
    }

    #[test]
    fn averages_round_to_one_decimal_and_comments_are_sorted() {
        let five = [
            (scores(3), "b".to_owned()),
            (scores(4), "a".to_owned()),
            (scores(4), " ".to_owned()),
            (scores(4), String::new()),
            (scores(4), "c".to_owned()),
        ];
        let a = aggregate(&five);
        assert_eq!(a.teacher, Some(3.8));
        assert_eq!(a.comments, vec!["a", "b", "c"]);
        assert_eq!(aggregate(&[]).usefulness, None);
    }

    #[test]
    fn scores_outside_one_to_five_are_named() {
        let bad = Scores {
            content: 0,
            teacher: 5,
            organisation: 6,
            usefulness: 1,
        };
        let fields: Vec<String> = check_scores(&bad).into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["content", "organisation"]);
    }
}
