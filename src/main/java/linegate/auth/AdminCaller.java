package linegate.auth;

import java.util.Optional;

/**
 * Who calls {@code /admin/v1}: the admin token, by its id and label, and the console session it came through (empty
 * for a request with {@code Authorization: Bearer lga_…}).
 */
public record AdminCaller(long adminTokenId, String label, Optional<Long> sessionId) {
    public boolean viaSession() {
        return sessionId.isPresent();
    }
}
