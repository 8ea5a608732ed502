package linegate.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import linegate.api.ApiException;
import linegate.api.MetaErrorView;
import linegate.api.StatusCode;

import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code {"return":{...}}} envelope every API answer is wrapped in (docs/status-codes.md, "The envelope"), fields in documented order. */
final class Envelope {
    static final ObjectMapper JSON = new ObjectMapper();

    private Envelope() {
    }

    static byte[] ok(Map<String, Object> fields) {
        return of(StatusCode.OK, fields);
    }

    /** An answer that is not an error (200, or a queued send's 207): its status, status_code, then {@code fields}. */
    static byte[] of(StatusCode code, Map<String, Object> fields) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", code.status());
        body.put("status_code", code.code());
        body.putAll(fields);
        return write(body);
    }

    static byte[] error(ApiException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", e.statusText());
        body.put("status_code", e.code().code());
        if (e.cdlsId() != null) {
            body.put("cdls_id", e.cdlsId());
        }
        if (e.metaError() != null) {
            body.put("meta_error", metaError(e.metaError()));
        }
        if (e.retryAfterSeconds() != null) {
            body.put("retry_after", e.retryAfterSeconds());
        }
        if (e.detail() != null) {
            body.put("detail", e.detail());
        }
        return write(body);
    }

    static Map<String, Object> metaError(MetaErrorView m) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("code", m.code());
        meta.put("subcode", m.subcode());
        meta.put("type", m.type());
        meta.put("message", m.message());
        meta.put("fbtrace_id", m.fbtraceId());
        return meta;
    }

    private static byte[] write(Map<String, Object> fields) {
        try {
            return JSON.writeValueAsBytes(Map.of("return", fields));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a response envelope", e);
        }
    }
}
