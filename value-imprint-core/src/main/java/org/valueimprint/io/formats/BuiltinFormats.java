package org.valueimprint.io.formats;

import java.util.ArrayList;
import java.util.List;
import org.valueimprint.io.DatasetFormat;

/**
 * The dataset formats that ship with the library, in detection order: when two formats fit a file's first records
 * equally well, the earlier one wins, so more specific formats come first.
 */
public final class BuiltinFormats {
    private BuiltinFormats() {}

    /** A new list of the built-in formats. */
    public static List<DatasetFormat> all() {
        List<DatasetFormat> formats = new ArrayList<>();
        // @formats:transcripts
        // @formats:chat
        // @formats:instruct
        // @formats:ranked
        return formats;
    }
}
