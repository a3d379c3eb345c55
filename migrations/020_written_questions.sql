-- Written questions of Parliament imported on a relocation (relocation.ImportQuestion):
-- what their page said, and the milestones the import made of them (the question's and,
-- once answered, the answer's; NULL when none was made yet or it was deleted since).
-- One row per question and relocation: the chamber, the legislature and the number
-- name a question (numbers restart with each legislature).
CREATE TABLE written_questions (
    id                    bigserial PRIMARY KEY,
    relocation_id         bigint NOT NULL REFERENCES relocations (id) ON DELETE CASCADE,
    chamber               text NOT NULL CHECK (chamber IN ('AN', 'Senat')),
    legislature           integer CHECK (legislature BETWEEN 1 AND 30), -- NULL: the page did not say
    number                integer NOT NULL CHECK (number > 0),
    author                text NOT NULL DEFAULT '',
    constituency          text NOT NULL DEFAULT '',
    ministry_asked        text NOT NULL DEFAULT '',
    ministry_answering    text NOT NULL DEFAULT '',
    question_published    date NOT NULL,
    question_page         integer CHECK (question_page > 0),
    answer_published      date CHECK (answer_published >= question_published),
    answer_page           integer CHECK (answer_page > 0),
    question_text         text NOT NULL DEFAULT '',
    answer_text           text NOT NULL DEFAULT '',
    source_url            text NOT NULL DEFAULT '' CHECK (source_url = '' OR source_url ~ '^https?://'),
    question_milestone_id bigint REFERENCES milestones (id) ON DELETE SET NULL,
    answer_milestone_id   bigint REFERENCES milestones (id) ON DELETE SET NULL,
    version               integer NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    CHECK (answer_published IS NOT NULL OR answer_page IS NULL)
);

CREATE UNIQUE INDEX written_questions_key ON written_questions (relocation_id, chamber, legislature, number);
CREATE INDEX written_questions_question_milestone ON written_questions (question_milestone_id);
CREATE INDEX written_questions_answer_milestone ON written_questions (answer_milestone_id);

-- Like every row of a relocation, an imported question raises its relocation's revision
-- (migration 013): the pages that show it are drawn under that stamp.
CREATE TRIGGER written_questions_revise_ins AFTER INSERT ON written_questions REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION revise_from_new();
CREATE TRIGGER written_questions_revise_upd AFTER UPDATE ON written_questions REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION revise_from_new();
CREATE TRIGGER written_questions_revise_del AFTER DELETE ON written_questions REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION revise_from_old();
