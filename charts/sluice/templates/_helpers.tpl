{{/* Object name prefix: the release name, or <release>-sluice when the release name does not contain "sluice". */}}
{{- define "sluice.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "sluice.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "sluice.operatorName" -}}{{ include "sluice.fullname" . }}-operator{{- end -}}
{{- define "sluice.proxyName" -}}{{ include "sluice.fullname" . }}-proxy{{- end -}}
{{- define "sluice.proxyAdminName" -}}{{ include "sluice.fullname" . }}-proxy-admin{{- end -}}

{{/* The Secret holding the push token, and its key. */}}
{{- define "sluice.pushSecretName" -}}
{{- if .Values.pushAuth.existingSecret -}}
{{- .Values.pushAuth.existingSecret -}}
{{- else -}}
{{- include "sluice.fullname" . }}-push-token
{{- end -}}
{{- end -}}
{{- define "sluice.pushSecretKey" -}}
{{- if .Values.pushAuth.existingSecret -}}{{ .Values.pushAuth.existingSecretKey }}{{- else -}}token{{- end -}}
{{- end -}}

{{- define "sluice.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "sluice.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: sluice
{{- end -}}

{{/* Selector labels of one component: include with (dict "ctx" $ "component" "proxy"). */}}
{{- define "sluice.selectorLabels" -}}
app.kubernetes.io/name: {{ include "sluice.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "sluice.componentLabels" -}}
{{ include "sluice.labels" .ctx }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "sluice.operatorImage" -}}
{{ .Values.operator.image.repository }}:{{ .Values.operator.image.tag | default .Chart.AppVersion }}
{{- end -}}
{{- define "sluice.proxyImage" -}}
{{ .Values.proxy.image.repository }}:{{ .Values.proxy.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{/* Pod-level security: the "restricted" Pod Security Standard. */}}
{{- define "sluice.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 65532
runAsGroup: 65532
fsGroup: 65532
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "sluice.containerSecurityContext" -}}
runAsNonRoot: true
readOnlyRootFilesystem: true
allowPrivilegeEscalation: false
privileged: false
capabilities:
  drop:
    - ALL
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Grace period of a proxy pod: long enough for the drain delay and the drain timeout. */}}
{{- define "sluice.proxyGracePeriod" -}}
{{- $drain := add .Values.proxy.drain.delaySeconds .Values.proxy.drain.timeoutSeconds -}}
{{- if kindIs "invalid" .Values.proxy.terminationGracePeriodSeconds -}}
{{- add $drain 10 -}}
{{- else if le (int .Values.proxy.terminationGracePeriodSeconds) (int $drain) -}}
{{- fail (printf "proxy.terminationGracePeriodSeconds (%v) must exceed proxy.drain.delaySeconds + proxy.drain.timeoutSeconds (%v)" .Values.proxy.terminationGracePeriodSeconds $drain) -}}
{{- else -}}
{{- .Values.proxy.terminationGracePeriodSeconds -}}
{{- end -}}
{{- end -}}

{{/* The volume carrying the push token file, shared by the operator and the proxy. */}}
{{- define "sluice.pushTokenVolume" -}}
- name: push-token
  secret:
    secretName: {{ include "sluice.pushSecretName" . }}
    defaultMode: 0440
    items:
      - key: {{ include "sluice.pushSecretKey" . }}
        path: token
{{- end -}}
