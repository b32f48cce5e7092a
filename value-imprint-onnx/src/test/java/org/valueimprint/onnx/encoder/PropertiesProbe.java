package org.valueimprint.onnx.encoder;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.valueimprint.onnx.model.OnnxValueClassifier;

/**
 * Run in a fresh JVM by {@link DjlSetupTest}: loads the default classifier, classifies, closes it, and exits 0 when
 * the system properties are exactly those it started with (printing any difference otherwise).
 */
final class PropertiesProbe {
    private PropertiesProbe() {}

    public static void main(String[] args) {
        boolean unset = true;
        for (String name : List.of("ai.djl.offline", "offline", "RUST_FLAVOR", "OPT_OUT_TRACKING", "DJL_CACHE_DIR")) {
            unset &= System.getProperty(name) == null && System.getenv(name) == null;
        }
        System.out.println(unset ? "no DJL setting before" : "a DJL setting was already there");
        Map<String, String> before = DjlSetupTest.properties();
        try (OnnxValueClassifier classifier = OnnxValueClassifier.loadDefault()) {
            System.out.println("classified: " + classifier.classify(
                    "Human: How do I bake bread?\n\nAssistant: Mix flour, water, salt and yeast.").top().label());
        }
        Map<String, String> after = DjlSetupTest.properties();
        if (before.equals(after)) {
            System.out.println("properties unchanged");
            System.exit(unset ? 0 : 2);
        }
        TreeSet<String> names = new TreeSet<>(before.keySet());
        names.addAll(after.keySet());
        for (String name : names) {
            if (!Objects.equals(before.get(name), after.get(name))) {
                System.out.println("changed: " + name + " " + before.get(name) + " -> " + after.get(name));
            }
        }
        System.exit(1);
    }
}
