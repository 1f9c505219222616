package dev.paypipe.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The configured admin token, checked against an {@code Authorization: Bearer …} header in constant
 * time: both sides are hashed first, so neither content nor length leaks through timing.
 */
final class BearerToken {
    private static final String PREFIX = "Bearer ";
    private final byte[] expectedDigest;

    BearerToken(String token) {
        this.expectedDigest = token == null ? null : sha256(token);
    }

    boolean configured() {
        return expectedDigest != null;
    }

    boolean matches(String authorizationHeader) {
        if (expectedDigest == null || authorizationHeader == null
                || !authorizationHeader.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return false;
        }
        return MessageDigest.isEqual(expectedDigest, sha256(authorizationHeader.substring(PREFIX.length()).trim()));
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
