package dev.runtimeplane.wal.tool;

import dev.runtimeplane.core.error.RuntimePlaneException;
import dev.runtimeplane.core.port.JournalEntry;
import dev.runtimeplane.wal.LogScan;
import dev.runtimeplane.wal.RepairReport;
import dev.runtimeplane.wal.SegmentScan;
import dev.runtimeplane.wal.WalMaintenance;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.stream.Stream;

/**
 * The operator tool for a write-ahead log directory:
 * <pre>
 * java -cp wal.jar:runtime-core.jar dev.runtimeplane.wal.tool.WalTool verify DIR
 * java -cp wal.jar:runtime-core.jar dev.runtimeplane.wal.tool.WalTool dump DIR [--from SEQ]
 * java -cp wal.jar:runtime-core.jar dev.runtimeplane.wal.tool.WalTool repair DIR
 * </pre>
 * Exit status: 0 when all is well (a torn tail is normal after a crash), 1 when verify finds damage
 * before the tail, 2 on a usage or I/O error.
 */
public final class WalTool {

    static final int OK = 0;
    static final int DAMAGED = 1;
    static final int ERROR = 2;

    private static final int PREVIEW_BYTES = 48;

    private final PrintStream out;
    private final PrintStream err;

    private WalTool(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command and returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return new WalTool(out, err).dispatch(args);
    }

    private int dispatch(String[] args) {
        if (args.length < 2) {
            return usage();
        }
        Path dir = Path.of(args[1]);
        if (!Files.isDirectory(dir)) {
            err.println("no such directory: " + dir.toAbsolutePath());
            return ERROR;
        }
        try {
            return switch (args[0]) {
                case "verify" -> args.length == 2 ? verify(dir) : usage();
                case "repair" -> args.length == 2 ? repair(dir) : usage();
                case "dump" -> dump(dir, args);
                default -> usage();
            };
        } catch (IOException | UncheckedIOException | RuntimePlaneException e) {
            err.println(args[0] + " failed: " + e.getMessage());
            return ERROR;
        }
    }

    private int verify(Path dir) throws IOException {
        LogScan scan = WalMaintenance.verify(dir);
        out.println("WAL directory " + dir.toAbsolutePath() + ": " + scan.segments().size() + " segment(s)");
        for (SegmentScan segment : scan.segments()) {
            out.println("  " + describe(segment));
        }
        if (scan.corruption().isPresent()) {
            out.println("DAMAGED: " + scan.corruption().get().describe());
            out.println("Records after the damage cannot be trusted to continue the log. 'WalTool repair "
                    + dir.toAbsolutePath() + "' cuts the log back to sequence " + scan.lastValidSequence()
                    + " and keeps a copy of everything it cuts.");
            return DAMAGED;
        }
        String range = scan.segments().isEmpty() ? "empty" : "sequences " + scan.segments().getFirst().firstSequence()
                + ".." + scan.lastValidSequence();
        out.println("OK: " + range + (scan.hasTornTail() ? "; the torn tail is cut when the log is next opened" : ""));
        return OK;
    }

    private static String describe(SegmentScan segment) {
        String records = segment.records() == 0 ? "no records"
                : "sequences " + segment.firstSequence() + ".." + segment.lastSequence() + " (" + segment.records() + " records)";
        String state = switch (segment.tail()) {
            case CLEAN -> "clean";
            case TORN -> "torn tail at byte " + segment.problemOffset() + " (" + (segment.fileSize() - segment.validEnd())
                    + " bytes): " + segment.problem();
            case CORRUPT -> "CORRUPT at byte " + segment.problemOffset() + ": " + segment.problem();
        };
        String format = segment.formatVersion() == 1 ? "  (format 1)" : "";
        return segment.file().getFileName() + format + "  " + records + "  " + segment.validEnd() + " of "
                + segment.fileSize() + " bytes valid  " + state;
    }

    private int dump(Path dir, String[] args) throws IOException {
        long from = 1;
        if (args.length == 4 && args[2].equals("--from")) {
            try {
                from = Long.parseLong(args[3]);
            } catch (NumberFormatException e) {
                err.println("--from needs a sequence number, got " + args[3]);
                return ERROR;
            }
        } else if (args.length != 2) {
            return usage();
        }
        long count = 0;
        try (Stream<JournalEntry> entries = WalMaintenance.dump(dir, from)) {
            Iterator<JournalEntry> iterator = entries.iterator();
            while (iterator.hasNext()) {
                JournalEntry entry = iterator.next();
                out.println("seq=" + entry.sequence() + " type=" + entry.type() + " time="
                        + Instant.ofEpochMilli(entry.timestampMillis()) + " size=" + entry.payload().length
                        + " payload=" + preview(entry.payload()));
                count++;
            }
        }
        err.println(count + " record(s); run 'verify' to see where the valid data ends and why");
        return OK;
    }

    /** The first bytes of a payload: quoted when they are printable ASCII, else hex. */
    static String preview(byte[] payload) {
        int length = Math.min(payload.length, PREVIEW_BYTES);
        boolean printable = true;
        for (int i = 0; i < length && printable; i++) {
            printable = payload[i] >= 0x20 && payload[i] < 0x7f;
        }
        String more = payload.length > length ? "..." : "";
        if (printable) {
            String text = new String(payload, 0, length, StandardCharsets.US_ASCII);
            return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"" + more;
        }
        return "0x" + HexFormat.of().formatHex(payload, 0, length) + more;
    }

    private int repair(Path dir) throws IOException {
        RepairReport report = WalMaintenance.repair(dir);
        if (!report.changed()) {
            out.println("nothing to repair: the log is intact up to sequence " + report.lastSequence());
            return OK;
        }
        for (RepairReport.Cut cut : report.cuts()) {
            String what = cut.offset() == 0 ? "moved out " + cut.segment().getFileName()
                    : "cut " + cut.segment().getFileName() + " from byte " + cut.offset();
            out.println(what + " (" + cut.bytes() + " bytes); copy kept at " + cut.copy());
        }
        out.println("the log now ends at sequence " + report.lastSequence() + "; the next append gets "
                + (report.lastSequence() + 1));
        return OK;
    }

    private int usage() {
        err.println("""
                usage: WalTool verify DIR             sequence ranges per segment and the first damage, if any
                       WalTool dump DIR [--from SEQ]  print the valid records (sequence, type, time, size, payload)
                       WalTool repair DIR             cut damage or a torn tail back to the longest valid prefix,
                                                      keeping a copy of what is cut (stop the writer first)
                exit status: 0 ok, 1 damage found by verify, 2 usage or I/O error""");
        return ERROR;
    }
}
