package linegate.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import linegate.api.ApiException;
import linegate.api.Params;
import linegate.api.StatusCode;

import java.io.CharConversionException;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads a JSON object body into parameters with a streaming parser whose every dimension is bounded
 * ({@link StreamReadConstraints}: number length, string length, name length, nesting depth, document length), so a
 * small hostile body costs time and memory in proportion to its size.
 * <p>
 * Scalars keep their exact source text and are never converted: a number is its digits as sent (a 17-digit
 * {@code dest} keeps every digit, and {@code 1e999999999} stays 11 characters that app_id's and dest's own checks
 * refuse with 211 and 221). Converting first is what made such a number cost seconds of CPU and gigabytes of heap.
 * Objects and arrays are kept as their source text and marked structured (the JSON-valued parameters of contract §11
 * read them; every other parameter refuses a structured value). A 201's detail says what is wrong and where, in the client's
 * words, and never quotes the body (CRMs log error answers, and the body holds the caller's token).
 */
final class JsonParams {
    /** Far more than any parameter needs (dest: 64 digits), and the Jackson default. */
    static final int MAX_NUMBER_LENGTH = 1000;
    /** Parameter values are scalars; structured ones are only skipped, and nothing legitimate nests this deep. */
    static final int MAX_NESTING_DEPTH = 32;
    static final int MAX_NAME_LENGTH = 256;

    private final JsonFactory factory;
    private final int maxBodyBytes;

    JsonParams(int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
        this.factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNumberLength(MAX_NUMBER_LENGTH)
                        .maxStringLength(maxBodyBytes)
                        .maxNameLength(MAX_NAME_LENGTH)
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxDocumentLength(maxBodyBytes)
                        .build())
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                .build();
    }

    Map<String, Params.Value> parse(byte[] body) {
        JsonParser p;
        try {
            p = factory.createParser(body);
        } catch (IOException e) {
            throw ApiException.of(StatusCode.MALFORMED_REQUEST, "the body could not be read as JSON");
        }
        try (p) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw malformed("the JSON body must be one object of parameters", p.currentTokenLocation());
            }
            Map<String, Params.Value> values = new HashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (value) {
                    // kept as its source text, a slice of the body: no tree is built here, whatever its size
                    case START_OBJECT, START_ARRAY -> {
                        long start = p.currentTokenLocation().getByteOffset();
                        p.skipChildren();
                        long end = p.currentLocation().getByteOffset();
                        values.put(name, Params.Value.structuredValue(
                                new String(body, (int) start, (int) (end - start), StandardCharsets.UTF_8)));
                    }
                    case VALUE_NULL -> {
                        // as a missing parameter
                    }
                    case VALUE_NUMBER_FLOAT -> values.put(name, Params.Value.text(plain(p.getText())));
                    default -> values.put(name, Params.Value.text(p.getText()));
                }
                if (values.size() > RequestReader.MAX_PARAMETERS) {
                    throw malformed("the JSON body has more than " + RequestReader.MAX_PARAMETERS + " parameters",
                            p.currentTokenLocation());
                }
            }
            if (p.nextToken() != null) {
                throw malformed("the body is not valid JSON: more content after the end of the JSON object", p.currentTokenLocation());
            }
            return values;
        } catch (JsonProcessingException e) {
            // a limit's exception carries no location; the parser stands where it stopped
            throw malformed("the body is not valid JSON: " + problem(e),
                    e.getLocation() != null ? e.getLocation() : p.currentLocation());
        } catch (CharConversionException e) {
            throw malformed("the body is not valid JSON: it is not valid UTF-8", null);
        } catch (IOException e) {
            throw ApiException.of(StatusCode.MALFORMED_REQUEST, "the body could not be read as JSON");
        }
    }

    /**
     * A decimal or exponent number in plain digits without trailing zeros ({@code 1e2} is 100 and {@code 7.0} is 7, as
     * they always were), only where that costs no more than the source text: an exponent beyond
     * {@link #MAX_NUMBER_LENGTH} keeps its source text, which no parameter accepts.
     */
    static String plain(String number) {
        try {
            BigDecimal value = new BigDecimal(number).stripTrailingZeros();
            return Math.abs((long) value.scale()) <= MAX_NUMBER_LENGTH ? value.toPlainString() : number;
        } catch (NumberFormatException exponentBeyondInt) {
            return number;
        }
    }

    /** What is wrong, from the kind of failure only: Jackson's own messages quote the offending input. */
    private String problem(JsonProcessingException e) {
        if (e instanceof StreamConstraintsException) {
            String m = e.getOriginalMessage();
            if (m.startsWith("Number")) {
                return "a number longer than " + MAX_NUMBER_LENGTH + " characters";
            }
            if (m.startsWith("Name")) {
                return "a parameter name longer than " + MAX_NAME_LENGTH + " characters";
            }
            if (m.contains("nesting depth")) {
                return "objects or arrays nested deeper than " + MAX_NESTING_DEPTH + " levels";
            }
            return "a value longer than the body limit of " + maxBodyBytes + " bytes";
        }
        if (e instanceof JsonEOFException) {
            return "the JSON ends before it is complete";
        }
        String m = String.valueOf(e.getOriginalMessage());
        if (m.startsWith("Invalid UTF-8")) {
            return "it is not valid UTF-8";
        }
        if (m.startsWith("Unexpected end-of-input")) {
            return "the JSON ends before it is complete";
        }
        if (m.contains("control character")) {
            return "a control character inside a string (escape it, e.g. \\n)";
        }
        return "this is not JSON: expected a string, number, object, array, true, false or null, or , : } ]";
    }

    private static ApiException malformed(String why, JsonLocation at) {
        String where = at == null || at.getLineNr() < 1 ? ""
                : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
        return ApiException.of(StatusCode.MALFORMED_REQUEST, why + where);
    }
}
