package io.sluice.operator.translate;

/**
 * How many route objects (Ingresses of ours, IngressRoutes) one {@link IncrementalTranslator#translate} took from
 * its cache and how many it translated again, for the {@code sluice_translate_objects_total} metric.
 */
public record TranslationReuse(int reused, int translated) {
    public static final TranslationReuse NONE = new TranslationReuse(0, 0);

    TranslationReuse plus(TranslationReuse other) {
        return new TranslationReuse(reused + other.reused, translated + other.translated);
    }
}
