package dev.paypipe.json;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8 for record keys and values: a {@link CharsetDecoder} set to {@code REPORT} refuses overlong encodings,
 * encoded surrogates, truncated sequences and code points beyond U+10FFFF, which lenient decoders (Jackson's, or
 * {@code new String(bytes, UTF_8)}) pass or silently replace. Plain ASCII, the common case, skips the decoder.
 */
public final class Utf8Text {
    private Utf8Text() {
    }

    /** Why these bytes are not plain UTF-8 JSON text, or null when they are. */
    static String bodyProblem(byte[] value) {
        if (value == null || value.length == 0) {
            return null; // reported by parse as an empty record
        }
        int b0 = value[0] & 0xFF;
        int b1 = value.length > 1 ? value[1] & 0xFF : -1;
        if (b0 == 0xEF && b1 == 0xBB && value.length > 2 && (value[2] & 0xFF) == 0xBF) {
            return "body: starts with a UTF-8 byte-order mark (EF BB BF); send UTF-8 without a BOM";
        }
        if ((b0 == 0xFE && b1 == 0xFF) || (b0 == 0xFF && b1 == 0xFE)) {
            return "body: starts with a UTF-16 byte-order mark; the value must be UTF-8 without a BOM";
        }
        boolean ascii = true;
        for (byte b : value) {
            if (b == 0) {
                return "body: contains a NUL byte (UTF-16 or UTF-32 text?); the value must be UTF-8";
            }
            ascii &= b > 0;
        }
        if (ascii) {
            return null; // the common case: plain ASCII is valid UTF-8, no decoder needed
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(value);
        CoderResult r = decoder.decode(in, CharBuffer.allocate(value.length), true);
        if (r.isError()) {
            return "body: not valid UTF-8 at byte offset " + in.position()
                    + " (overlong encoding, surrogate or truncated sequence)";
        }
        if (decoder.flush(CharBuffer.allocate(1)).isError()) {
            return "body: not valid UTF-8 at the end (truncated sequence)";
        }
        return null;
    }

    /** The bytes as a String when they are valid UTF-8, else null. */
    public static String decode(byte[] bytes) {
        boolean ascii = true;
        for (byte b : bytes) {
            ascii &= b >= 0;
        }
        if (ascii) {
            return new String(bytes, StandardCharsets.US_ASCII);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
