//! Ids that travel together, each its own type, so that an edition's id cannot be passed
//! where an employee's is expected: the mistake does not compile. The API converts them
//! to and from plain integers at its boundary; the JSON is unchanged.

/// The id of a course edition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EditionId(pub i64);

/// The id of an employee record (not of a user account).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EmployeeId(pub i64);

/// The id of an enrolment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EnrolmentId(pub i64);
