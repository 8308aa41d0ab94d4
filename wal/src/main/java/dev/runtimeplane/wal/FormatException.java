package dev.runtimeplane.wal;

/** Bytes on disk do not have the structure the format requires (bad magic, checksum, version, ...). */
final class FormatException extends Exception {

    FormatException(String reason) {
        super(reason);
    }
}
