package dev.runtimeplane.service.intent;

import dev.runtimeplane.core.port.Journal;
import dev.runtimeplane.service.journal.LatestRecordJournal;

/**
 * The registered intent definitions' member of the shared WAL: one DEFINITION record (the source text) per
 * definition, field {@code <type>@<version>}, journaled before a registration is acknowledged, so a Redis that
 * lost its data gets them back.
 *
 * <p>Not thread-safe: {@link DeclaredIntents} calls it under its registration lock.
 */
final class DefinitionJournal extends LatestRecordJournal {

    /** Record type of one definition: its field ({@code <type>@<version>}), a line break, its source text; UTF-8. */
    static final int DEFINITION = 0x4901;

    DefinitionJournal(Journal journal, long carryAfterRecords) {
        super(journal, DEFINITION, carryAfterRecords);
    }
}
