//! Feedback questionnaires, aggregated so that nobody can tell who said what.

use super::DomainError;

/// Fewer answers than this and comments stay hidden: with one or two, people could tell
/// who wrote them.
pub const MIN_ANSWERS_FOR_COMMENTS: usize = 3;

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
    pub answers: usize,
    pub content: Option<f64>,
    pub teacher: Option<f64>,
    pub organisation: Option<f64>,
    pub usefulness: Option<f64>,
    /// Non-empty comments, sorted, or none when too few answers.
    pub comments: Vec<String>,
}

/// Averages (one decimal) and comments of the questionnaires.
pub fn aggregate(all: &[(Scores, String)]) -> Aggregate {
    let average = |pick: fn(&Scores) -> i16| {
        (!all.is_empty()).then(|| {
            let sum: f64 = all.iter().map(|(s, _)| f64::from(pick(s))).sum();
            (sum / all.len() as f64 * 10.0).round() / 10.0
        })
    };
    let mut comments: Vec<String> = if all.len() >= MIN_ANSWERS_FOR_COMMENTS {
        all.iter()
            .map(|(_, c)| c.trim().to_owned())
            .filter(|c| !c.is_empty())
            .collect()
    } else {
        Vec::new()
    };
    comments.sort();
    Aggregate {
        answers: all.len(),
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
    fn averages_round_to_one_decimal_and_comments_need_three_answers() {
        let two = [(scores(4), "Ottimo".to_owned()), (scores(5), String::new())];
        let a = aggregate(&two);
        assert_eq!(a.content, Some(4.5));
        assert!(a.comments.is_empty());
        let three = [
            (scores(3), "b".to_owned()),
            (scores(4), "a".to_owned()),
            (scores(4), " ".to_owned()),
        ];
        let a = aggregate(&three);
        assert_eq!(a.teacher, Some(3.7));
        assert_eq!(a.comments, vec!["a", "b"]);
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
