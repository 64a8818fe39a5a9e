//! Competency frameworks (versioned), target profiles, needs-survey campaigns with
//! their rater tasks and answers, computed competency results and notifications.

use sea_orm_migration::prelude::*;

use crate::columns::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum People {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Positions {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum RosterUploads {
    Table,
    Kind,
}

#[derive(DeriveIden)]
enum Frameworks {
    Table,
    Id,
    FamilyId,
    Version,
    Name,
    Description,
    Archived,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum FrameworkDomains {
    Table,
    Id,
    FrameworkId,
    Position,
    Name,
    Archived,
}

#[derive(DeriveIden)]
enum Competencies {
    Table,
    Id,
    FrameworkId,
    DomainId,
    Position,
    Code,
    Name,
    Description,
    // `Level1` alone would name the column `level1`; the entity and the CSV say `level_1`.
    #[sea_orm(iden = "level_1")]
    Level1,
    #[sea_orm(iden = "level_2")]
    Level2,
    #[sea_orm(iden = "level_3")]
    Level3,
    #[sea_orm(iden = "level_4")]
    Level4,
    #[sea_orm(iden = "level_5")]
    Level5,
    Archived,
}

#[derive(DeriveIden)]
enum PositionTargets {
    Table,
    Id,
    PositionId,
    FamilyId,
    CompetencyCode,
    TargetLevel,
    Importance,
}

#[derive(DeriveIden)]
enum Campaigns {
    Table,
    Id,
    Title,
    FrameworkId,
    State,
    OpensAt,
    ClosesAt,
    IncludeSelf,
    IncludeManager,
    PeerMode,
    PeersPerPerson,
    AnonymityThreshold,
    Instructions,
    WeightSelf,
    WeightManager,
    WeightPeers,
    DiscrepancyThreshold,
    FollowUpOf,
    OwnerId,
    CreatedAt,
    OpenedAt,
    ClosedAt,
}

#[derive(DeriveIden)]
enum CampaignAudience {
    Table,
    Id,
    CampaignId,
    Kind,
    TargetId,
}

#[derive(DeriveIden)]
enum CampaignItems {
    Table,
    Id,
    CampaignId,
    Position,
    Kind,
    Prompt,
    Options,
    CompetencyId,
    Required,
}

#[derive(DeriveIden)]
enum SurveyTasks {
    Table,
    Id,
    CampaignId,
    SubjectId,
    RaterId,
    RaterType,
    Status,
    UpdatedAt,
    SubmittedAt,
}

#[derive(DeriveIden)]
enum Ratings {
    Table,
    Id,
    TaskId,
    CompetencyId,
    Level,
}

#[derive(DeriveIden)]
enum ItemAnswers {
    Table,
    Id,
    TaskId,
    ItemId,
    Value,
}

#[derive(DeriveIden)]
enum CompetencyResults {
    Table,
    Id,
    CampaignId,
    PersonId,
    CompetencyId,
    UnitId,
    PositionId,
    Current,
    SelfLevel,
    ManagerLevel,
    PeerLevel,
    PeerCount,
    RaterCount,
    TargetLevel,
    Importance,
    Gap,
    WeightedGap,
    Discrepancy,
    ComputedAt,
}

#[derive(DeriveIden)]
enum Notifications {
    Table,
    Id,
    PersonId,
    Kind,
    CampaignId,
    CreatedAt,
    ReadAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, Restrict, SetNull};

        // Uploads are held for preview; framework CSVs use the same table.
        m.alter_table(
            Table::alter()
                .table(RosterUploads::Table)
                .add_column(
                    ColumnDef::new(RosterUploads::Kind)
                        .string_len(16)
                        .not_null()
                        .default("roster"),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Frameworks::Table)
                .col(id(Frameworks::Id))
                .col(uuid(Frameworks::FamilyId))
                .col(int(Frameworks::Version))
                .col(text(Frameworks::Name, 200))
                .col(ColumnDef::new(Frameworks::Description).text().null())
                .col(flag(Frameworks::Archived, false))
                .col(ColumnDef::new(Frameworks::CreatedBy).uuid().null())
                .col(at(Frameworks::CreatedAt))
                .foreign_key(&mut fk(
                    (Frameworks::Table, Frameworks::CreatedBy),
                    (People::Table, People::Id),
                    SetNull,
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ux_frameworks_family_version",
            Frameworks::Table,
            &["family_id", "version"],
            true,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(FrameworkDomains::Table)
                .col(id(FrameworkDomains::Id))
                .col(uuid(FrameworkDomains::FrameworkId))
                .col(int(FrameworkDomains::Position))
                .col(text(FrameworkDomains::Name, 200))
                .col(flag(FrameworkDomains::Archived, false))
                .foreign_key(&mut fk(
                    (FrameworkDomains::Table, FrameworkDomains::FrameworkId),
                    (Frameworks::Table, Frameworks::Id),
                    Cascade,
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "idx_domains_framework",
            FrameworkDomains::Table,
            &["framework_id"],
            false,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Competencies::Table)
                .col(id(Competencies::Id))
                .col(uuid(Competencies::FrameworkId))
                .col(uuid(Competencies::DomainId))
                .col(int(Competencies::Position))
                .col(text(Competencies::Code, 32))
                .col(text(Competencies::Name, 200))
                .col(ColumnDef::new(Competencies::Description).text().null())
                .col(ColumnDef::new(Competencies::Level1).text().not_null())
                .col(ColumnDef::new(Competencies::Level2).text().not_null())
                .col(ColumnDef::new(Competencies::Level3).text().not_null())
                .col(ColumnDef::new(Competencies::Level4).text().not_null())
                .col(ColumnDef::new(Competencies::Level5).text().not_null())
                .col(flag(Competencies::Archived, false))
                .foreign_key(&mut fk(
                    (Competencies::Table, Competencies::FrameworkId),
                    (Frameworks::Table, Frameworks::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (Competencies::Table, Competencies::DomainId),
                    (FrameworkDomains::Table, FrameworkDomains::Id),
                    Cascade,
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ux_competencies_framework_code",
            Competencies::Table,
            &["framework_id", "code"],
            true,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(PositionTargets::Table)
                .col(id(PositionTargets::Id))
                .col(uuid(PositionTargets::PositionId))
                .col(uuid(PositionTargets::FamilyId))
                .col(text(PositionTargets::CompetencyCode, 32))
                .col(int(PositionTargets::TargetLevel))
                .col(int(PositionTargets::Importance))
                .foreign_key(&mut fk(
                    (PositionTargets::Table, PositionTargets::PositionId),
                    (Positions::Table, Positions::Id),
                    Cascade,
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ux_position_targets",
            PositionTargets::Table,
            &["position_id", "family_id", "competency_code"],
            true,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Campaigns::Table)
                .col(id(Campaigns::Id))
                .col(text(Campaigns::Title, 200))
                .col(uuid(Campaigns::FrameworkId))
                .col(text(Campaigns::State, 16))
                .col(at(Campaigns::OpensAt))
                .col(at(Campaigns::ClosesAt))
                .col(flag(Campaigns::IncludeSelf, true))
                .col(flag(Campaigns::IncludeManager, true))
                .col(text(Campaigns::PeerMode, 16))
                .col(int(Campaigns::PeersPerPerson))
                .col(int(Campaigns::AnonymityThreshold))
                .col(ColumnDef::new(Campaigns::Instructions).text().null())
                .col(real(Campaigns::WeightSelf))
                .col(real(Campaigns::WeightManager))
                .col(real(Campaigns::WeightPeers))
                .col(real(Campaigns::DiscrepancyThreshold))
                .col(ColumnDef::new(Campaigns::FollowUpOf).uuid().null())
                .col(uuid(Campaigns::OwnerId))
                .col(at(Campaigns::CreatedAt))
                .col(at_null(Campaigns::OpenedAt))
                .col(at_null(Campaigns::ClosedAt))
                .foreign_key(&mut fk(
                    (Campaigns::Table, Campaigns::FrameworkId),
                    (Frameworks::Table, Frameworks::Id),
                    Restrict,
                ))
                .foreign_key(&mut fk(
                    (Campaigns::Table, Campaigns::FollowUpOf),
                    (Campaigns::Table, Campaigns::Id),
                    SetNull,
                ))
                .foreign_key(&mut fk(
                    (Campaigns::Table, Campaigns::OwnerId),
                    (People::Table, People::Id),
                    Restrict,
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(CampaignAudience::Table)
                .col(id(CampaignAudience::Id))
                .col(uuid(CampaignAudience::CampaignId))
                .col(text(CampaignAudience::Kind, 16))
                .col(uuid(CampaignAudience::TargetId))
                .foreign_key(&mut fk(
                    (CampaignAudience::Table, CampaignAudience::CampaignId),
                    (Campaigns::Table, Campaigns::Id),
                    Cascade,
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ux_campaign_audience",
            CampaignAudience::Table,
            &["campaign_id", "kind", "target_id"],
            true,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(CampaignItems::Table)
                .col(id(CampaignItems::Id))
                .col(uuid(CampaignItems::CampaignId))
                .col(int(CampaignItems::Position))
                .col(text(CampaignItems::Kind, 16))
                .col(ColumnDef::new(CampaignItems::Prompt).text().not_null())
                .col(ColumnDef::new(CampaignItems::Options).text().null())
                .col(ColumnDef::new(CampaignItems::CompetencyId).uuid().null())
                .col(flag(CampaignItems::Required, false))
                .foreign_key(&mut fk(
                    (CampaignItems::Table, CampaignItems::CampaignId),
                    (Campaigns::Table, Campaigns::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (CampaignItems::Table, CampaignItems::CompetencyId),
                    (Competencies::Table, Competencies::Id),
                    SetNull,
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(SurveyTasks::Table)
                .col(id(SurveyTasks::Id))
                .col(uuid(SurveyTasks::CampaignId))
                .col(uuid(SurveyTasks::SubjectId))
                .col(uuid(SurveyTasks::RaterId))
                .col(text(SurveyTasks::RaterType, 16))
                .col(text(SurveyTasks::Status, 16))
                .col(at(SurveyTasks::UpdatedAt))
                .col(at_null(SurveyTasks::SubmittedAt))
                .foreign_key(&mut fk(
                    (SurveyTasks::Table, SurveyTasks::CampaignId),
                    (Campaigns::Table, Campaigns::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (SurveyTasks::Table, SurveyTasks::SubjectId),
                    (People::Table, People::Id),
                    Restrict,
                ))
                .foreign_key(&mut fk(
                    (SurveyTasks::Table, SurveyTasks::RaterId),
                    (People::Table, People::Id),
                    Restrict,
                ))
                .to_owned(),
        )
        .await?;
        // One task per rater and subject: opening twice or nominating twice is harmless.
        index(
            m,
            "ux_survey_tasks",
            SurveyTasks::Table,
            &["campaign_id", "subject_id", "rater_id"],
            true,
        )
        .await?;
        index(
            m,
            "idx_survey_tasks_rater",
            SurveyTasks::Table,
            &["rater_id", "status"],
            false,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Ratings::Table)
                .col(id(Ratings::Id))
                .col(uuid(Ratings::TaskId))
                .col(uuid(Ratings::CompetencyId))
                .col(int(Ratings::Level))
                .foreign_key(&mut fk(
                    (Ratings::Table, Ratings::TaskId),
                    (SurveyTasks::Table, SurveyTasks::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (Ratings::Table, Ratings::CompetencyId),
                    (Competencies::Table, Competencies::Id),
                    Restrict,
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ux_ratings",
            Ratings::Table,
            &["task_id", "competency_id"],
            true,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(ItemAnswers::Table)
                .col(id(ItemAnswers::Id))
                .col(uuid(ItemAnswers::TaskId))
                .col(uuid(ItemAnswers::ItemId))
                .col(ColumnDef::new(ItemAnswers::Value).text().not_null())
                .foreign_key(&mut fk(
                    (ItemAnswers::Table, ItemAnswers::TaskId),
                    (SurveyTasks::Table, SurveyTasks::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (ItemAnswers::Table, ItemAnswers::ItemId),
                    (CampaignItems::Table, CampaignItems::Id),
                    Cascade,
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ux_item_answers",
            ItemAnswers::Table,
            &["task_id", "item_id"],
            true,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(CompetencyResults::Table)
                .col(id(CompetencyResults::Id))
                .col(uuid(CompetencyResults::CampaignId))
                .col(uuid(CompetencyResults::PersonId))
                .col(uuid(CompetencyResults::CompetencyId))
                .col(ColumnDef::new(CompetencyResults::UnitId).uuid().null())
                .col(ColumnDef::new(CompetencyResults::PositionId).uuid().null())
                .col(real(CompetencyResults::Current))
                .col(real_null(CompetencyResults::SelfLevel))
                .col(real_null(CompetencyResults::ManagerLevel))
                .col(real_null(CompetencyResults::PeerLevel))
                .col(int(CompetencyResults::PeerCount))
                .col(int(CompetencyResults::RaterCount))
                .col(
                    ColumnDef::new(CompetencyResults::TargetLevel)
                        .integer()
                        .null(),
                )
                .col(int(CompetencyResults::Importance))
                .col(real(CompetencyResults::Gap))
                .col(real(CompetencyResults::WeightedGap))
                .col(flag(CompetencyResults::Discrepancy, false))
                .col(at(CompetencyResults::ComputedAt))
                .foreign_key(&mut fk(
                    (CompetencyResults::Table, CompetencyResults::CampaignId),
                    (Campaigns::Table, Campaigns::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (CompetencyResults::Table, CompetencyResults::PersonId),
                    (People::Table, People::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (CompetencyResults::Table, CompetencyResults::CompetencyId),
                    (Competencies::Table, Competencies::Id),
                    Restrict,
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ux_competency_results",
            CompetencyResults::Table,
            &["campaign_id", "person_id", "competency_id"],
            true,
        )
        .await?;
        // The heatmap and priorities group one campaign's rows by unit or competency;
        // covering indexes let SQLite answer them without reading the table rows.
        index(
            m,
            "idx_competency_results_unit",
            CompetencyResults::Table,
            &[
                "campaign_id",
                "unit_id",
                "competency_id",
                "target_level",
                "gap",
                "weighted_gap",
                "position_id",
            ],
            false,
        )
        .await?;
        index(
            m,
            "idx_competency_results_competency",
            CompetencyResults::Table,
            &[
                "campaign_id",
                "competency_id",
                "target_level",
                "gap",
                "weighted_gap",
                "unit_id",
                "position_id",
            ],
            false,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Notifications::Table)
                .col(id(Notifications::Id))
                .col(uuid(Notifications::PersonId))
                .col(text(Notifications::Kind, 32))
                .col(ColumnDef::new(Notifications::CampaignId).uuid().null())
                .col(at(Notifications::CreatedAt))
                .col(at_null(Notifications::ReadAt))
                .foreign_key(&mut fk(
                    (Notifications::Table, Notifications::PersonId),
                    (People::Table, People::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (Notifications::Table, Notifications::CampaignId),
                    (Campaigns::Table, Campaigns::Id),
                    Cascade,
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "idx_notifications_person",
            Notifications::Table,
            &["person_id", "read_at"],
            false,
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Notifications::Table.into_iden(),
            CompetencyResults::Table.into_iden(),
            ItemAnswers::Table.into_iden(),
            Ratings::Table.into_iden(),
            SurveyTasks::Table.into_iden(),
            CampaignItems::Table.into_iden(),
            CampaignAudience::Table.into_iden(),
            Campaigns::Table.into_iden(),
            PositionTargets::Table.into_iden(),
            Competencies::Table.into_iden(),
            FrameworkDomains::Table.into_iden(),
            Frameworks::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        m.alter_table(
            Table::alter()
                .table(RosterUploads::Table)
                .drop_column(RosterUploads::Kind)
                .to_owned(),
        )
        .await
    }
}
