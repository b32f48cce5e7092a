package org.valueimprint.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.valueimprint.io.formats.BuiltinFormats;

/**
 * The known {@link DatasetFormat}s: the built-in ones, in detection order, followed by any found with
 * {@link ServiceLoader} ({@code META-INF/services/org.valueimprint.io.DatasetFormat}). A service format with the
 * name of an earlier format is refused at start-up, so a name always means one format.
 */
public final class DatasetFormats {
    private DatasetFormats() {}

    private static final class Holder {
        static final Map<String, DatasetFormat> FORMATS = load();

        private static Map<String, DatasetFormat> load() {
            Map<String, DatasetFormat> byName = new LinkedHashMap<>();
            List<DatasetFormat> all = new ArrayList<>(BuiltinFormats.all());
            ServiceLoader.load(DatasetFormat.class, DatasetFormat.class.getClassLoader()).forEach(all::add);
            for (DatasetFormat f : all) {
                if (byName.putIfAbsent(f.name(), f) != null) {
                    throw new IllegalStateException(
                            "two dataset formats are named \"" + f.name() + "\": " + byName.get(f.name()).getClass()
                                    .getName() + " and " + f.getClass().getName());
                }
            }
            return byName;
        }
    }

    /** Every known format, built-in ones first, in detection order. */
    public static List<DatasetFormat> all() {
        return List.copyOf(Holder.FORMATS.values());
    }

    /** The names of every known format. */
    public static List<String> names() {
        return List.copyOf(Holder.FORMATS.keySet());
    }

    /** The format with this name, if there is one. */
    public static Optional<DatasetFormat> byName(String name) {
        return Optional.ofNullable(Holder.FORMATS.get(name));
    }

    /** One line per format, {@code "  name  description"}, for messages and listings. */
    public static String describeAll() {
        int width = names().stream().mapToInt(String::length).max().orElse(0);
        return all().stream()
                .map(f -> "  " + f.name() + " ".repeat(width - f.name().length() + 2) + f.description())
                .collect(Collectors.joining("\n"));
    }
}
