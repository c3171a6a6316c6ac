-- Schema v8: two contact indexes no query uses. Every imported contact wrote an entry into
-- each of the table's indexes; no statement filters or orders contacts by (state, city), and
-- the export's score filter reads coalesce(score, -1) in id order, which the (score, id) index
-- cannot serve. Fewer index writes per imported contact (bench/import_bench.sh).
DROP INDEX contacts_state_idx;
DROP INDEX contacts_score_idx;
