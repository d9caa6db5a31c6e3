/**
 * The {@code sluice.io/v1alpha1} custom resources, {@code IngressRoute} and {@code Middleware}. The Java classes
 * are the source of truth: the CRD YAML in {@code crds/} is generated from them ({@code CrdsUpToDateTest}). Field
 * names follow Traefik's {@code traefik.io/v1alpha1} resources so a Traefik manifest moves over by changing its
 * {@code apiVersion}.
 */
package io.sluice.operator.crd;
