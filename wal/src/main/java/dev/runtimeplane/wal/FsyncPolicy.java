package dev.runtimeplane.wal;

/** When the log forces its data to disk, and so when an append is acknowledged. */
public enum FsyncPolicy {
    /**
     * Group commit: appends queued together share one write and one fdatasync, and each is acknowledged
     * only after the fdatasync that covers it. Nothing acknowledged is lost, even on power loss.
     */
    ALWAYS,
    /**
     * fdatasync every {@link WalOptions#fsyncInterval()}; appends are acknowledged once written to the OS
     * (like Redis {@code appendfsync everysec}). A process crash loses nothing acknowledged; a power loss
     * can lose up to one interval.
     */
    INTERVAL,
    /**
     * The OS decides when to write back; appends are acknowledged once written to the OS. {@code flush()},
     * {@code close()} and starting a new segment still force.
     */
    NONE
}
