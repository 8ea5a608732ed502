package linegate.operators;

import java.util.Optional;

/**
 * Meta's usage of a line as the answering node last read it from the usage headers of contract §10: the serving node
 * passes its own readings (they live in its memory, never in the database), the command line has none.
 */
@FunctionalInterface
public interface UsageReadings {
    /** No readings: a process that sends nothing to Meta. */
    UsageReadings NONE = lineId -> Optional.empty();

    Optional<LineView.Usage> lastRead(long lineId);
}
