//! The office's vocabulary: every closed set of values Gapwise stores.
//!
//! Each is a Rust enum used by the entities and by the DTOs, spelt once (in its
//! [`Vocabulary`] impl) and the same in the database, on the wire and in forms. On
//! the server each is a sea-orm value type stored as text; reading a stored value
//! outside the vocabulary is an error, never a default, and the database itself
//! refuses one (migration `m20261129_000001_vocabulary`). This module depends on no
//! feature, so every feature may use it.
//!
//! (sea-orm's `DeriveActiveEnum` would be the obvious derive, but in sea-orm-macros
//! 2.0.4 it builds an identifier from each stored value, and `self` becomes the
//! keyword `Self`: it does not compile for the rater type. `DeriveValueType` with
//! `value_type = "String"` stores the same text through `FromStr` and `Display`.)

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A closed set of values with one spelling everywhere.
pub trait Vocabulary: Copy + Sized + 'static {
    const ALL: &'static [Self];

    /// The spelling stored in the database and sent on the wire.
    fn as_str(self) -> &'static str;

    /// The value spelt exactly `s`; anything else is `None`, never a default.
    fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.as_str() == s)
    }
}

/// A stored or sent value that is not in its vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{value:?} is not a {vocabulary}")]
pub struct UnknownValue {
    pub vocabulary: &'static str,
    pub value: String,
}

/// Spells a vocabulary enum: `ALL`, `as_str`, and from them `Display`, `FromStr`,
/// serde, and (on the server) the `TryFromU64` sea-orm asks of a key column. The
/// variants are written out on the enum itself; this only says how each is spelt.
macro_rules! spelt {
    ($name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        impl Vocabulary for $name {
            const ALL: &'static [Self] = &[$($name::$variant),+];
            fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl std::str::FromStr for $name {
            type Err = UnknownValue;
            fn from_str(s: &str) -> Result<Self, UnknownValue> {
                Self::parse(s).ok_or_else(|| UnknownValue {
                    vocabulary: stringify!($name),
                    value: s.chars().take(64).collect(),
                })
            }
        }
        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = String::deserialize(d)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }
        #[cfg(feature = "ssr")]
        impl sea_orm::TryFromU64 for $name {
            fn try_from_u64(_: u64) -> Result<Self, sea_orm::DbErr> {
                Err(sea_orm::DbErr::ConvertFromU64(stringify!($name)))
            }
        }
    };
}

/// What a person may do. One person may hold several roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "ssr", derive(sea_orm::DeriveValueType))]
#[cfg_attr(feature = "ssr", sea_orm(value_type = "String"))]
pub enum Role {
    Staff,
    Trainer,
    Manager,
    Admin,
}
spelt!(Role { Staff = "staff", Trainer = "trainer", Manager = "manager", Admin = "admin" });

/// Draft (being set up) → open (answering) → closed (results final).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "ssr", derive(sea_orm::DeriveValueType))]
#[cfg_attr(feature = "ssr", sea_orm(value_type = "String"))]
pub enum CampaignState {
    Draft,
    Open,
    Closed,
}
spelt!(CampaignState { Draft = "draft", Open = "open", Closed = "closed" });

/// How peers are chosen: none, picked from the same unit, or nominated by the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "ssr", derive(sea_orm::DeriveValueType))]
#[cfg_attr(feature = "ssr", sea_orm(value_type = "String"))]
pub enum PeerMode {
    None,
    Auto,
    Nominate,
}
spelt!(PeerMode { None = "none", Auto = "auto", Nominate = "nominate" });

/// How a course is delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "ssr", derive(sea_orm::DeriveValueType))]
#[cfg_attr(feature = "ssr", sea_orm(value_type = "String"))]
pub enum CourseMode {
    Online,
    Classroom,
    Blended,
}
spelt!(CourseMode { Online = "online", Classroom = "classroom", Blended = "blended" });

/// Draft (its owners build it) → published (in the catalogue) → archived (kept for
/// the records, closed to new learners).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "ssr", derive(sea_orm::DeriveValueType))]
#[cfg_attr(feature = "ssr", sea_orm(value_type = "String"))]
pub enum CourseStatus {
    Draft,
    Published,
    Archived,
}
spelt!(CourseStatus { Draft = "draft", Published = "published", Archived = "archived" });

/// Proposed by the engine → accepted (an assignment exists) or rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "ssr", derive(sea_orm::DeriveValueType))]
#[cfg_attr(feature = "ssr", sea_orm(value_type = "String"))]
pub enum ProposalStatus {
    Proposed,
    Accepted,
    Rejected,
}
spelt!(ProposalStatus { Proposed = "proposed", Accepted = "accepted", Rejected = "rejected" });

/// Where an assignment came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "ssr", derive(sea_orm::DeriveValueType))]
#[cfg_attr(feature = "ssr", sea_orm(value_type = "String"))]
pub enum AssignmentSource {
    Proposal,
    Manual,
    SelfEnrolled,
}
spelt!(AssignmentSource { Proposal = "proposal", Manual = "manual", SelfEnrolled = "self" });

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "ssr", derive(sea_orm::DeriveValueType))]
#[cfg_attr(feature = "ssr", sea_orm(value_type = "String"))]
pub enum AssignmentStatus {
    Assigned,
    Completed,
    Withdrawn,
}
spelt!(AssignmentStatus { Assigned = "assigned", Completed = "completed", Withdrawn = "withdrawn" });

/// A person's place in a classroom session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "ssr", derive(sea_orm::DeriveValueType))]
#[cfg_attr(feature = "ssr", sea_orm(value_type = "String"))]
pub enum SeatStatus {
    Enrolled,
    Waiting,
    Withdrawn,
}
spelt!(SeatStatus { Enrolled = "enrolled", Waiting = "waiting", Withdrawn = "withdrawn" });

/// An annual training plan's way to approval: trainers edit the draft, submit it
/// to the office's leadership, and record its approval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "ssr", derive(sea_orm::DeriveValueType))]
#[cfg_attr(feature = "ssr", sea_orm(value_type = "String"))]
pub enum PlanStatus {
    Draft,
    Submitted,
    Approved,
}
spelt!(PlanStatus { Draft = "draft", Submitted = "submitted", Approved = "approved" });

/// Who fills in a questionnaire about a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "ssr", derive(sea_orm::DeriveValueType))]
#[cfg_attr(feature = "ssr", sea_orm(value_type = "String"))]
pub enum RaterType {
    /// The person about themselves.
    SelfRating,
    Manager,
    Peer,
}
spelt!(RaterType { SelfRating = "self", Manager = "manager", Peer = "peer" });

/// A questionnaire's progress: not started, saved as a draft, submitted (final).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "ssr", derive(sea_orm::DeriveValueType))]
#[cfg_attr(feature = "ssr", sea_orm(value_type = "String"))]
pub enum TaskStatus {
    Pending,
    Draft,
    Submitted,
}
spelt!(TaskStatus { Pending = "pending", Draft = "draft", Submitted = "submitted" });

/// What a campaign's audience entry names: a unit (with its sub-units), a position
/// or one person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "ssr", derive(sea_orm::DeriveValueType))]
#[cfg_attr(feature = "ssr", sea_orm(value_type = "String"))]
pub enum AudienceKind {
    Unit,
    Position,
    Person,
}
spelt!(AudienceKind { Unit = "unit", Position = "position", Person = "person" });

/// A custom survey item: a 1–5 scale, one of listed options, or free text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "ssr", derive(sea_orm::DeriveValueType))]
#[cfg_attr(feature = "ssr", sea_orm(value_type = "String"))]
pub enum ItemKind {
    Likert,
    Choice,
    Text,
}
spelt!(ItemKind { Likert = "likert", Choice = "choice", Text = "text" });

/// Why a person got an in-app notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "ssr", derive(sea_orm::DeriveValueType))]
#[cfg_attr(feature = "ssr", sea_orm(value_type = "String"))]
pub enum NotificationKind {
    CampaignOpened,
    Reminder,
    PeerNominated,
    CourseAssigned,
    CourseDueSoon,
    CourseOverdue,
    SeatPromoted,
    SessionChanged,
    SessionCancelled,
    FollowUpOpened,
    FollowUpReminder,
}
spelt!(NotificationKind {
    CampaignOpened = "campaign_opened",
    Reminder = "reminder",
    PeerNominated = "peer_nominated",
    CourseAssigned = "course_assigned",
    CourseDueSoon = "course_due_soon",
    CourseOverdue = "course_overdue",
    SeatPromoted = "seat_promoted",
    SessionChanged = "session_changed",
    SessionCancelled = "session_cancelled",
    FollowUpOpened = "follow_up_opened",
    FollowUpReminder = "follow_up_reminder",
});

/// A question's type in the bank (the quiz module's `Kind`, by name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "ssr", derive(sea_orm::DeriveValueType))]
#[cfg_attr(feature = "ssr", sea_orm(value_type = "String"))]
pub enum QuestionKind {
    Single,
    Multiple,
    TrueFalse,
    Numeric,
    Short,
    Matching,
    Ordering,
    Essay,
    Description,
}
spelt!(QuestionKind {
    Single = "single",
    Multiple = "multiple",
    TrueFalse = "truefalse",
    Numeric = "numeric",
    Short = "short",
    Matching = "matching",
    Ordering = "ordering",
    Essay = "essay",
    Description = "description",
});

/// What a quiz is for in its course: the test before, the test after (their
/// difference is the learning gain), or practice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "ssr", derive(sea_orm::DeriveValueType))]
#[cfg_attr(feature = "ssr", sea_orm(value_type = "String"))]
pub enum QuizPurpose {
    Pre,
    Post,
    Practice,
}
spelt!(QuizPurpose { Pre = "pre", Post = "post", Practice = "practice" });

/// What a reaction form item asks for: a rating from 1 to 5, the 0–10
/// likelihood to recommend (the reaction index is read from it), or words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "ssr", derive(sea_orm::DeriveValueType))]
#[cfg_attr(feature = "ssr", sea_orm(value_type = "String"))]
pub enum ReactionKind {
    Scale,
    Recommend,
    Text,
}
spelt!(ReactionKind { Scale = "scale", Recommend = "recommend", Text = "text" });

/// A behaviour follow-up's life: waiting for its answers, answered, or past
/// its deadline unanswered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "ssr", derive(sea_orm::DeriveValueType))]
#[cfg_attr(feature = "ssr", sea_orm(value_type = "String"))]
pub enum FollowUpStatus {
    Open,
    Submitted,
    Expired,
}
spelt!(FollowUpStatus { Open = "open", Submitted = "submitted", Expired = "expired" });

/// Which of a person's attempts is their result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "ssr", derive(sea_orm::DeriveValueType))]
#[cfg_attr(feature = "ssr", sea_orm(value_type = "String"))]
pub enum Counting {
    Best,
    Last,
    First,
}
spelt!(Counting { Best = "best", Last = "last", First = "first" });

/// When learners see their score, the right answers and the feedback.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "ssr", derive(sea_orm::DeriveValueType))]
#[cfg_attr(feature = "ssr", sea_orm(value_type = "String"))]
pub enum Review {
    Immediately,
    AfterClose,
    Never,
}
spelt!(Review { Immediately = "immediately", AfterClose = "after_close", Never = "never" });

/// What an uploaded file is for: a roster, a competency framework or questions
/// for the bank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "ssr", derive(sea_orm::DeriveValueType))]
#[cfg_attr(feature = "ssr", sea_orm(value_type = "String"))]
pub enum UploadKind {
    Roster,
    Framework,
    Questions,
    Indicators,
}
spelt!(UploadKind {
    Roster = "roster",
    Framework = "framework",
    Questions = "questions",
    Indicators = "indicators",
});

/// Every change the audit log records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "ssr", derive(sea_orm::DeriveValueType))]
#[cfg_attr(feature = "ssr", sea_orm(value_type = "String"))]
pub enum AuditAction {
    OrgSetup,
    PasswordChange,
    PersonCreate,
    PersonCreateAdmin,
    PersonUpdate,
    PersonSetActive,
    PersonResetPassword,
    UnitCreate,
    UnitUpdate,
    UnitSetActive,
    PositionCreate,
    PositionUpdate,
    PositionSetActive,
    RosterImport,
    FrameworkCreate,
    FrameworkUpdate,
    FrameworkVersion,
    FrameworkArchive,
    FrameworkRestore,
    FrameworkArrange,
    FrameworkImport,
    DomainCreate,
    DomainUpdate,
    CompetencyCreate,
    CompetencyUpdate,
    TargetUpdate,
    TargetCopy,
    CampaignCreate,
    CampaignUpdate,
    CampaignAudienceAdd,
    CampaignAudienceRemove,
    CampaignItemAdd,
    CampaignItemRemove,
    CampaignOpen,
    CampaignClose,
    CampaignRemind,
    CampaignNominate,
    RatingSubmit,
    SignInFailed,
    SignInLocked,
    PersonUnlock,
    ExportCsv,
    SessionEnd,
    CourseCreate,
    CourseUpdate,
    CourseState,
    CourseOutline,
    CourseCompetencies,
    ProposalRegenerate,
    ProposalDecide,
    CourseEnrol,
    CourseComplete,
    AssignmentCreate,
    AssignmentUpdate,
    SessionCreate,
    SessionEnrol,
    SessionAttendance,
    SettingsUpdate,
    SessionUpdate,
    SessionCancel,
    PlanGenerate,
    PlanUpdate,
    PlanState,
    QuestionImport,
    QuestionArchive,
    QuestionRestore,
    QuizCreate,
    QuizUpdate,
    AttemptGrade,
    QuestionEdit,
    QuestionRegrade,
    ReactionForm,
    IndicatorsSave,
    IndicatorsImport,
}
spelt!(AuditAction {
    OrgSetup = "org.setup",
    PasswordChange = "password.change",
    PersonCreate = "person.create",
    PersonCreateAdmin = "person.create_admin",
    PersonUpdate = "person.update",
    PersonSetActive = "person.set_active",
    PersonResetPassword = "person.reset_password",
    UnitCreate = "unit.create",
    UnitUpdate = "unit.update",
    UnitSetActive = "unit.set_active",
    PositionCreate = "position.create",
    PositionUpdate = "position.update",
    PositionSetActive = "position.set_active",
    RosterImport = "roster.import",
    FrameworkCreate = "framework.create",
    FrameworkUpdate = "framework.update",
    FrameworkVersion = "framework.version",
    FrameworkArchive = "framework.archive",
    FrameworkRestore = "framework.restore",
    FrameworkArrange = "framework.arrange",
    FrameworkImport = "framework.import",
    DomainCreate = "domain.create",
    DomainUpdate = "domain.update",
    CompetencyCreate = "competency.create",
    CompetencyUpdate = "competency.update",
    TargetUpdate = "target.update",
    TargetCopy = "target.copy",
    CampaignCreate = "campaign.create",
    CampaignUpdate = "campaign.update",
    CampaignAudienceAdd = "campaign.audience.add",
    CampaignAudienceRemove = "campaign.audience.remove",
    CampaignItemAdd = "campaign.item.add",
    CampaignItemRemove = "campaign.item.remove",
    CampaignOpen = "campaign.open",
    CampaignClose = "campaign.close",
    CampaignRemind = "campaign.remind",
    CampaignNominate = "campaign.nominate",
    RatingSubmit = "rating.submit",
    SignInFailed = "sign_in.failed",
    SignInLocked = "sign_in.locked",
    PersonUnlock = "person.unlock",
    ExportCsv = "export.csv",
    SessionEnd = "session.end",
    CourseCreate = "course.create",
    CourseUpdate = "course.update",
    CourseState = "course.state",
    CourseOutline = "course.outline",
    CourseCompetencies = "course.competencies",
    ProposalRegenerate = "proposal.regenerate",
    ProposalDecide = "proposal.decide",
    CourseEnrol = "course.enrol",
    CourseComplete = "course.complete",
    AssignmentCreate = "assignment.create",
    AssignmentUpdate = "assignment.update",
    SessionCreate = "session.create",
    SessionEnrol = "session.enrol",
    SessionAttendance = "session.attendance",
    SettingsUpdate = "settings.update",
    SessionUpdate = "session.update",
    SessionCancel = "session.cancel",
    PlanGenerate = "plan.generate",
    PlanUpdate = "plan.update",
    PlanState = "plan.state",
    QuestionImport = "question.import",
    QuestionArchive = "question.archive",
    QuestionRestore = "question.restore",
    QuizCreate = "quiz.create",
    QuizUpdate = "quiz.update",
    AttemptGrade = "attempt.grade",
    QuestionEdit = "question.edit",
    QuestionRegrade = "question.regrade",
    ReactionForm = "reaction.form",
    IndicatorsSave = "indicators.save",
    IndicatorsImport = "indicators.import",
});

#[cfg(test)]
mod tests {
    use super::*;

    /// The three spellings of every value agree: `as_str`, serde's, and (on the
    /// server) the one sea-orm stores.
    fn spelt_alike<T>()
    where
        T: Vocabulary + Serialize + for<'de> Deserialize<'de> + PartialEq + std::fmt::Debug,
    {
        for v in T::ALL {
            let wire = serde_json::to_value(v).unwrap_or_default();
            assert_eq!(wire.as_str(), Some(v.as_str()), "{v:?} on the wire");
            let back: T = serde_json::from_value(wire).unwrap_or_else(|e| panic!("{v:?}: {e}"));
            assert_eq!(back, *v);
            assert_eq!(T::parse(v.as_str()), Some(*v));
        }
        assert_eq!(T::parse("no such value"), None);
    }

    /// What sea-orm stores is the same spelling, and an unknown stored value is
    /// refused when read back.
    #[cfg(feature = "ssr")]
    fn stored_alike<T>()
    where
        T: Vocabulary + sea_orm::sea_query::ValueType + Into<sea_orm::Value> + PartialEq,
        T: std::fmt::Debug,
    {
        for v in T::ALL {
            let stored: sea_orm::Value = (*v).into();
            assert_eq!(stored, sea_orm::Value::from(v.as_str()), "{v:?} as stored");
            assert_eq!(T::try_from(stored).ok(), Some(*v));
        }
        assert!(T::try_from(sea_orm::Value::from("no such value")).is_err());
    }

    macro_rules! check_all {
        ($($t:ty),+) => {
            $(spelt_alike::<$t>();)+
            #[cfg(feature = "ssr")]
            { $(stored_alike::<$t>();)+ }
        };
    }

    #[test]
    fn every_vocabulary_is_spelt_one_way() {
        check_all!(
            Role,
            CampaignState,
            PeerMode,
            RaterType,
            TaskStatus,
            AudienceKind,
            ItemKind,
            NotificationKind,
            SeatStatus,
            PlanStatus,
            QuestionKind,
            QuizPurpose,
            Counting,
            Review,
            UploadKind,
            FollowUpStatus,
            AuditAction
        );
    }

    #[test]
    fn self_rating_is_spelt_self() {
        assert_eq!(RaterType::SelfRating.as_str(), "self");
        assert_eq!(
            serde_json::to_string(&RaterType::SelfRating).unwrap_or_default(),
            "\"self\""
        );
    }
}
