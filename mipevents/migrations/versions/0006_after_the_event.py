"""after the event: materials, write-ups and their photos, surveys and answers, follow-up opt-outs;
survey links as their own token purpose

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05 12:20:33.779493

"""
from alembic import op
import sqlalchemy as sa
import mipevents.core.db_types

# The purposes as they stand with this revision: a migration keeps its own copy, never the models'.
PURPOSES_BEFORE = ('manage', 'feed', 'application', 'invitation', 'checkin', 'display', 'speaker_view')
PURPOSES_AFTER = (*PURPOSES_BEFORE, 'survey')


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def _purposes_check(purposes) -> str:
    return "purpose IN (" + ", ".join(f"'{p}'" for p in purposes) + ")"


def _set_token_purposes(purposes) -> None:
    # The purposes the code knows (other revisions add theirs to the same list), so the order in
    # which revisions that add a purpose run does not matter.
    with op.batch_alter_table('tokens', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_tokens_purpose_known'), type_='check')
        batch_op.create_check_constraint(op.f('ck_tokens_purpose_known'), _purposes_check(purposes))


def upgrade():
    op.create_table('followup_opt_outs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('created_at', mipevents.core.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_followup_opt_outs_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_followup_opt_outs')),
    sa.UniqueConstraint('person_id', name=op.f('uq_followup_opt_outs_person_id'))
    )
    op.create_table('surveys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('webinar_id', sa.Integer(), nullable=True),
    sa.Column('questions', sa.JSON(), nullable=False),
    sa.Column('closes_at', mipevents.core.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_at', mipevents.core.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(item_id IS NULL) <> (webinar_id IS NULL)', name=op.f('ck_surveys_one_target')),
    sa.ForeignKeyConstraint(['item_id'], ['agenda_items.id'], name=op.f('fk_surveys_item_id_agenda_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['webinar_id'], ['webinars.id'], name=op.f('fk_surveys_webinar_id_webinars'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_surveys')),
    sa.UniqueConstraint('item_id', name=op.f('uq_surveys_item_id')),
    sa.UniqueConstraint('webinar_id', name=op.f('uq_surveys_webinar_id'))
    )
    op.create_table('materials',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('slot_id', sa.Integer(), nullable=True),
    sa.Column('webinar_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('filename', sa.String(length=120), nullable=False),
    sa.Column('content_type', sa.String(length=120), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=True),
    sa.Column('is_public', sa.Boolean(), nullable=False),
    sa.Column('created_at', mipevents.core.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(kind = 'file') = (url = '')", name=op.f('ck_materials_file_or_url')),
    sa.CheckConstraint("kind IN ('file', 'link', 'recording')", name=op.f('ck_materials_kind_known')),
    sa.CheckConstraint('(CASE WHEN item_id IS NULL THEN 0 ELSE 1 END + CASE WHEN slot_id IS NULL THEN 0 ELSE 1 END + CASE WHEN webinar_id IS NULL THEN 0 ELSE 1 END) = 1', name=op.f('ck_materials_one_target')),
    sa.ForeignKeyConstraint(['item_id'], ['agenda_items.id'], name=op.f('fk_materials_item_id_agenda_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['slot_id'], ['showcase_slots.id'], name=op.f('fk_materials_slot_id_showcase_slots'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['webinar_id'], ['webinars.id'], name=op.f('fk_materials_webinar_id_webinars'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_materials'))
    )
    with op.batch_alter_table('materials', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_materials_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_materials_slot_id'), ['slot_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_materials_webinar_id'), ['webinar_id'], unique=False)

    op.create_table('stories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('slot_id', sa.Integer(), nullable=True),
    sa.Column('webinar_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('author', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.String(length=500), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('published_at', mipevents.core.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', mipevents.core.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', mipevents.core.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status = 'draft' OR published_at IS NOT NULL", name=op.f('ck_stories_published_dated')),
    sa.CheckConstraint("status IN ('draft', 'published')", name=op.f('ck_stories_status_known')),
    sa.CheckConstraint('(CASE WHEN item_id IS NULL THEN 0 ELSE 1 END + CASE WHEN slot_id IS NULL THEN 0 ELSE 1 END + CASE WHEN webinar_id IS NULL THEN 0 ELSE 1 END) = 1', name=op.f('ck_stories_one_target')),
    sa.ForeignKeyConstraint(['item_id'], ['agenda_items.id'], name=op.f('fk_stories_item_id_agenda_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['slot_id'], ['showcase_slots.id'], name=op.f('fk_stories_slot_id_showcase_slots'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['webinar_id'], ['webinars.id'], name=op.f('fk_stories_webinar_id_webinars'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stories')),
    sa.UniqueConstraint('item_id', name=op.f('uq_stories_item_id')),
    sa.UniqueConstraint('slot_id', name=op.f('uq_stories_slot_id')),
    sa.UniqueConstraint('webinar_id', name=op.f('uq_stories_webinar_id'))
    )
    op.create_table('survey_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('created_at', mipevents.core.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', mipevents.core.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_survey_answers_registration_id_registrations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_survey_answers_survey_id_surveys'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_answers')),
    sa.UniqueConstraint('survey_id', 'registration_id', name='uq_survey_answers_survey_registration')
    )
    with op.batch_alter_table('survey_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_answers_registration_id'), ['registration_id'], unique=False)

    op.create_table('story_photos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('story_id', sa.Integer(), nullable=False),
    sa.Column('alt', sa.String(length=300), nullable=False),
    sa.Column('credit', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=40), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', mipevents.core.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("alt <> ''", name=op.f('ck_story_photos_alt_given')),
    sa.ForeignKeyConstraint(['story_id'], ['stories.id'], name=op.f('fk_story_photos_story_id_stories'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_story_photos'))
    )
    with op.batch_alter_table('story_photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_story_photos_story_id'), ['story_id'], unique=False)

    _set_token_purposes(PURPOSES_AFTER)


def downgrade():
    op.execute(sa.text("DELETE FROM tokens WHERE purpose = 'survey'"))
    _set_token_purposes(PURPOSES_BEFORE)
    with op.batch_alter_table('story_photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_story_photos_story_id'))

    op.drop_table('story_photos')
    with op.batch_alter_table('survey_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_answers_registration_id'))

    op.drop_table('survey_answers')
    op.drop_table('stories')
    with op.batch_alter_table('materials', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_materials_webinar_id'))
        batch_op.drop_index(batch_op.f('ix_materials_slot_id'))
        batch_op.drop_index(batch_op.f('ix_materials_item_id'))

    op.drop_table('materials')
    op.drop_table('surveys')
    op.drop_table('followup_opt_outs')
