/**
 * Taxonomies of human values: the API ({@link org.valueimprint.taxonomy.ValueTaxonomy},
 * {@link org.valueimprint.taxonomy.HumanValue}, {@link org.valueimprint.taxonomy.Framework},
 * {@link org.valueimprint.taxonomy.ValueGroup}), the built-in Value Imprint taxonomy
 * ({@link org.valueimprint.taxonomy.ValueTaxonomy#valueImprint()}, after Obi et al. 2024, arXiv 2411.11937), and
 * custom taxonomies read from JSON or YAML ({@link org.valueimprint.taxonomy.Taxonomies}).
 */
package org.valueimprint.taxonomy;
