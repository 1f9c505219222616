package dev.paypipe.persistence;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;

/**
 * Writes PostgreSQL COPY text format (tab-separated, {@code \N} for null, backslash escapes) straight
 * into UTF-8 bytes: no per-value strings, no intermediate {@code StringBuilder}. The db-writer's
 * hot path, so timestamps and decimals are formatted by hand rather than through
 * {@code DateTimeFormatter} and {@code BigDecimal.toPlainString}, and a consumer thread reuses one
 * buffer for all its batches ({@link #forThisThread()}).
 */
final class CopyText {
    private static final byte[] NULL = {'\\', 'N'};
    private static final ThreadLocal<CopyText> PER_THREAD = ThreadLocal.withInitial(() -> new CopyText(1 << 16));
    private byte[] buf;
    private int len;
    /** The calendar day of the last timestamp and its {@code yyyy-MM-dd } bytes: results of a batch share days. */
    private long cachedDay = Long.MIN_VALUE;
    private final byte[] cachedDate = new byte[11];

    CopyText(int capacity) {
        buf = new byte[Math.max(64, capacity)];
    }

    /** This thread's buffer, emptied; it grows to the largest batch the thread encodes and stays. */
    static CopyText forThisThread() {
        CopyText t = PER_THREAD.get();
        t.len = 0;
        return t;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    /** The encoded bytes, valid up to {@link #length()} until the next write. */
    byte[] buffer() {
        return buf;
    }

    int length() {
        return len;
    }

    CopyText tab() {
        return put((byte) '\t');
    }

    CopyText endRow() {
        return put((byte) '\n');
    }

    CopyText text(String value) {
        if (value == null) {
            return bytes(NULL);
        }
        int n = value.length();
        ensure(n * 3);
        // one pass for the common case (printable ASCII: ids, codes); the first other char goes the long way
        int at = len;
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == '\\' || c >= 0x7F) {
                len = at + i;
                return escaped(value, i, n);
            }
            buf[at + i] = (byte) c;
        }
        len = at + n;
        return this;
    }

    /** Bytes that need no escaping and are one byte each in UTF-8, such as an enum's name. */
    CopyText ascii(byte[] value) {
        return bytes(value);
    }

    private CopyText escaped(String value, int from, int n) {
        for (int i = from; i < n; i++) {
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
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(value.charAt(i + 1))) {
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
        if (days != cachedDay && !cacheDate(days)) {
            return text(instant.toString()); // outside the fixed-width fast path; PostgreSQL parses ISO too
        }
        ensure(32);
        System.arraycopy(cachedDate, 0, buf, len, cachedDate.length);
        len += cachedDate.length;
        digits(secondOfDay / 3600, 2).put((byte) ':').digits(secondOfDay / 60 % 60, 2).put((byte) ':')
                .digits(secondOfDay % 60, 2).put((byte) '.').digits(instant.getNano() / 1000, 6);
        return put((byte) '+').put((byte) '0').put((byte) '0');
    }

    /** Formats {@code yyyy-MM-dd } of the day into the cache; false for years outside 1..9999. */
    private boolean cacheDate(long days) {
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
            return false;
        }
        int saved = len;
        ensure(cachedDate.length);
        digits(year, 4).put((byte) '-').digits(month, 2).put((byte) '-').digits(day, 2).put((byte) ' ');
        System.arraycopy(buf, saved, cachedDate, 0, cachedDate.length);
        len = saved;
        cachedDay = days;
        return true;
    }

    /**
     * A decimal as {@link BigDecimal#toPlainString()} writes it (no exponent), from the unscaled value when it
     * fits a long (every amount a payment carries); other values go through {@code toPlainString}.
     */
    CopyText decimal(BigDecimal value) {
        if (value == null) {
            return bytes(NULL);
        }
        int scale = value.scale();
        if (value.precision() > 18 || scale < 0 || scale > 18) {
            return text(value.toPlainString());
        }
        long unscaled = value.unscaledValue().longValue();
        ensure(40);
        if (unscaled < 0) {
            buf[len++] = '-';
            unscaled = -unscaled;
        }
        int start = len;
        int written = 0;
        do {
            if (written == scale && scale > 0) {
                buf[len++] = '.';
            }
            buf[len++] = (byte) ('0' + unscaled % 10);
            unscaled /= 10;
            written++;
        } while (unscaled > 0 || written <= scale);
        reverse(start, len - 1);
        return this;
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
