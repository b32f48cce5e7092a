package org.valueimprint.io.internal.formats;

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
        formats.add(new HhRlhfFormat());
        // @formats:chat
        formats.add(new UltraFeedbackFormat());
        formats.add(new TrlFormat());
        formats.add(new ShareGptFormat());
        formats.add(new LlamaFactoryV1Format());
        // @formats:instruct
        formats.add(new Gpt4LlmComparisonFormat());
        formats.add(new HelpSteer2NemoFormat());
        formats.add(new AlpacaPairwiseFormat());
        formats.add(new AlpacaFormat());
        // @formats:ranked
        formats.add(new OasstFormat());
        formats.add(new OasstMessagesFormat());
        formats.add(new WebGptFormat());
        formats.add(new ShpFormat());
        formats.add(new PkuSafeRlhfFormat());
        formats.add(new GenericFormat());
        return formats;
    }
}
