package org.valueimprint.data;

/** Which text of a {@link PreferenceRecord} is meant. */
public enum Side {
    /** The prompt followed by the preferred response: what a preference rewards. */
    CHOSEN,
    /** The prompt followed by the dispreferred response; absent for a {@link SingleResponse}. */
    REJECTED,
    /** The prompt alone. */
    PROMPT;

    /** The lower-case name used in reports and on the command line: {@code chosen}, {@code rejected}, {@code prompt}. */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
