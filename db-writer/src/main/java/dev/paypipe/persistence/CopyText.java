package dev.paypipe.persistence;

import java.time.Instant;
import java.util.Arrays;

/**
 * Writes PostgreSQL COPY text format (tab-separated, {@code \N} for null, backslash escapes) straight
 * into UTF-8 bytes: no per-value strings, no intermediate {@code StringBuilder}. The db-writer's
 * hot path, so timestamps are formatted by hand rather than through {@code DateTimeFormatter}.
 */
final class CopyText {
    private static final byte[] NULL = {'\\', 'N'};
    private byte[] buf;
    private int len;

    CopyText(int capacity) {
        buf = new byte[Math.max(64, capacity)];
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    CopyText tab() {
        return put((byte) '\t');
    }

    CopyText endRow() {
        return put((byte) '\n');
    }

    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): the fast copy for ASCII
    CopyText text(String value) {
        if (value == null) {
            return bytes(NULL);
        }
        int n = value.length();
        ensure(n * 3);
        if (isPlainAscii(value, n)) {
            value.getBytes(0, n, buf, len);
            len += n;
            return this;
        }
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                switch (c) {
                    case '\\' -> { buf[len++] = '\\'; buf[len++] = '\\'; }
                    case '\t' -> { buf[len++] = '\\'; buf[len++] = 't'; }
                    case '\n' -> { buf[len++] = '\\'; buf[len++] = 'n'; }
                    case '\r' -> { buf[len++] = '\\'; buf[len++] = 'r'; }
                    default -> buf[len++] = (byte) c;
                }
            } else if (c < 0x800) {
                buf[len++] = (byte) (0xC0 | (c >> 6));
                buf[len++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, value.charAt(++i));
                ensure(4);
                buf[len++] = (byte) (0xF0 | (cp >> 18));
                buf[len++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                buf[len++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                buf[len++] = (byte) (0x80 | (cp & 0x3F));
            } else {
                char e = Character.isSurrogate(c) ? '?' : c; // a lone surrogate is not valid UTF-8
                buf[len++] = (byte) (0xE0 | (e >> 12));
                buf[len++] = (byte) (0x80 | ((e >> 6) & 0x3F));
                buf[len++] = (byte) (0x80 | (e & 0x3F));
            }
        }
        return this;
    }

    /** No escapes needed and every char is one byte: the common case for ids, codes and amounts. */
    private static boolean isPlainAscii(String value, int n) {
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == '\\' || c >= 0x7F) {
                return false;
            }
        }
        return true;
    }

    CopyText number(long value) {
        if (value == Long.MIN_VALUE) {
            return text(Long.toString(value));
        }
        ensure(20);
        if (value < 0) {
            buf[len++] = '-';
            value = -value;
        }
        int start = len;
        do {
            buf[len++] = (byte) ('0' + value % 10);
            value /= 10;
        } while (value > 0);
        reverse(start, len - 1);
        return this;
    }

    /** {@code 2026-11-24 03:40:08.123456+00}, truncated to microseconds like the {@code timestamptz} column. */
    CopyText timestamp(Instant instant) {
        if (instant == null) {
            return bytes(NULL);
        }
        long seconds = instant.getEpochSecond();
        long days = Math.floorDiv(seconds, 86_400);
        int secondOfDay = (int) Math.floorMod(seconds, 86_400);
        // civil_from_days (H. Hinnant)
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int day = (int) (doy - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        if (year < 1 || year > 9999) {
            return text(instant.toString()); // outside the fixed-width fast path; PostgreSQL parses ISO too
        }
        ensure(32);
        digits(year, 4).put((byte) '-').digits(month, 2).put((byte) '-').digits(day, 2).put((byte) ' ')
                .digits(secondOfDay / 3600, 2).put((byte) ':').digits(secondOfDay / 60 % 60, 2).put((byte) ':')
                .digits(secondOfDay % 60, 2).put((byte) '.').digits(instant.getNano() / 1000, 6);
        return put((byte) '+').put((byte) '0').put((byte) '0');
    }

    private CopyText digits(long value, int width) {
        int v = (int) value; // every caller passes a non-negative value below 10^6
        int i = len + width - 1;
        while (i > len) {
            int pair = (v % 100) * 2;
            v /= 100;
            buf[i--] = PAIRS[pair + 1];
            buf[i--] = PAIRS[pair];
        }
        if (i == len) {
            buf[i] = (byte) ('0' + v % 10);
        }
        len += width;
        return this;
    }

    /** "00" "01" ... "99" as ASCII pairs: half the divisions when formatting timestamps. */
    private static final byte[] PAIRS = new byte[200];

    static {
        for (int i = 0; i < 100; i++) {
            PAIRS[2 * i] = (byte) ('0' + i / 10);
            PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
        }
    }

    private CopyText bytes(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
        return this;
    }

    private CopyText put(byte b) {
        ensure(1);
        buf[len++] = b;
        return this;
    }

    private void reverse(int from, int to) {
        while (from < to) {
            byte t = buf[from];
            buf[from++] = buf[to];
            buf[to--] = t;
        }
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }
}
