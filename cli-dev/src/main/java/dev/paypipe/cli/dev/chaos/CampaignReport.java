package dev.paypipe.cli.dev.chaos;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One campaign's verdict: {@code payments}, then the counts that must all be zero ({@code lost}, {@code chargedTwice},
 * {@code chargedWrongAmount}, {@code duplicateResults}, {@code nonFinal}, {@code wrongStatus}, and any extra count a
 * campaign adds with {@link #count}), and {@code notes} naming the first offenders and what the run did.
 */
public final class CampaignReport {
    static final int MAX_NOTES_PER_KIND = 5;

    private final String campaign;
    private long payments;
    private final Map<String, Long> counts = new LinkedHashMap<>();
    private final Map<String, Object> figures = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<String, Integer> notesPerKind = new LinkedHashMap<>();

    public CampaignReport(String campaign) {
        this.campaign = campaign;
        for (String k : List.of("lost", "chargedTwice", "chargedWrongAmount", "duplicateResults", "nonFinal",
                "wrongStatus")) {
            counts.put(k, 0L);
        }
    }

    public String campaign() {
        return campaign;
    }

    void addPayments(long n) {
        payments += n;
    }

    /** Counts one offence of {@code kind} and notes the first few. */
    void offence(String kind, String note) {
        counts.merge(kind, 1L, Long::sum);
        int seen = notesPerKind.merge(kind, 1, Integer::sum);
        if (seen <= MAX_NOTES_PER_KIND) {
            notes.add(kind + ": " + note);
        } else if (seen == MAX_NOTES_PER_KIND + 1) {
            notes.add(kind + ": more than " + MAX_NOTES_PER_KIND + ", the rest not listed");
        }
    }

    /** A count that must be zero, reported even when it is. */
    void count(String kind, long n) {
        counts.merge(kind, n, Long::sum);
    }

    /** A figure for the reader (not judged). */
    void figure(String name, Object value) {
        figures.put(name, value);
    }

    void note(String note) {
        notes.add(note);
    }

    /** Adds another run's figures under this campaign (the gateway campaign runs one rig per fault shape). */
    void merge(CampaignReport run) {
        payments += run.payments;
        run.counts.forEach((k, v) -> counts.merge(k, v, Long::sum));
        run.notes.forEach(n -> notes.add(run.campaign + ": " + n));
        if (!run.figures.isEmpty()) {
            figures.put(run.campaign, run.figures);
        }
    }

    public long get(String kind) {
        return counts.getOrDefault(kind, 0L);
    }

    public long payments() {
        return payments;
    }

    public boolean ok() {
        return payments > 0 && counts.values().stream().allMatch(v -> v == 0);
    }

    public List<String> notes() {
        return List.copyOf(notes);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("payments", payments);
        m.putAll(counts);
        m.put("verdict", ok() ? "OK" : "FAILED");
        m.putAll(figures);
        m.put("notes", notes);
        return m;
    }

    @Override
    public String toString() {
        return campaign + " " + toMap();
    }
}
