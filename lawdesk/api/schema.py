"""OpenAPI schema details: the token scheme, and the error responses every operation may answer."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="说明（中文）。")
    code = serializers.CharField(help_text="错误类别，如 invalid、not_found、not_authenticated、throttled。")

    def get_fields(self) -> dict[str, Any]:
        # "errors" is also the name of Serializer.errors, so it is added here rather than declared.
        fields: dict[str, Any] = super().get_fields()
        fields["errors"] = serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()),
            required=False,
            help_text="输入有误时：字段路径 → 消息（消息以字段的中文名开头）。",
        )
        return fields


ERROR_DESCRIPTIONS = {
    "400": "输入有误（字段及原因见 errors），或办理规则不允许这一步。",
    "401": "未提供令牌或登录信息，或令牌无效、已停用、已过期。",
    "403": "无权进行此操作。",
    "404": "没有找到，或不在您的查看范围内。",
    "429": "请求过于频繁，请稍后再试。",
}


# The documentation groups operations under these Chinese headings (by the first path segment after /api/v1/).
TAGS = {
    "visits": "来访登记",
    "matters": "事项",
    "institutions": "后台机构",
    "appointments": "预约",
    "ledgers": "台帐",
    "reports": "统计报表",
}


class ApiAutoSchema(AutoSchema):
    """Every operation declares the error shape for 400, 401, 403, 404 and 429; tags are Chinese."""

    def get_tags(self) -> list[str]:
        segment = self.path.removeprefix("/api/v1/").split("/", 1)[0]
        return [TAGS.get(segment, segment)]

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        for code, description in ERROR_DESCRIPTIONS.items():
            if code not in responses:
                response = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                response["description"] = description
                responses[code] = response
        return responses


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "lawdesk.api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "系统调用方的令牌：Authorization: Bearer ld_…（由 api_token create 签发，只显示一次）。",
        }
