"""Password rules: at least 8 characters of at least three classes (upper case, lower case, digits, symbols);
Django's CommonPasswordValidator refuses the common ones."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

CLASS_LABELS = ("大写字母", "小写字母", "数字", "符号")


def character_classes(password: str) -> set[str]:
    found: set[str] = set()
    for ch in password:
        if ch.isupper():
            found.add("大写字母")
        elif ch.islower():
            found.add("小写字母")
        elif ch.isdigit():
            found.add("数字")
        else:
            found.add("符号")
    return found


class ComplexityValidator:
    """At least ``min_length`` characters drawn from at least ``min_classes`` of the four classes."""

    def __init__(self, min_length: int = 8, min_classes: int = 3) -> None:
        self.min_length = min_length
        self.min_classes = min_classes

    def validate(self, password: str, user: Any = None) -> None:
        errors = []
        if len(password) < self.min_length:
            errors.append(
                ValidationError(
                    f"密码太短：至少 {self.min_length} 个字符（现为 {len(password)} 个）。",
                    code="password_too_short",
                )
            )
        classes = character_classes(password)
        if len(classes) < self.min_classes:
            missing = "、".join(c for c in CLASS_LABELS if c not in classes)
            errors.append(
                ValidationError(
                    f"密码须包含大写字母、小写字母、数字、符号中的至少 {self.min_classes} 类；还缺：{missing}。",
                    code="password_too_simple",
                )
            )
        if errors:
            raise ValidationError(errors)

    def get_help_text(self) -> str:
        return (
            f"至少 {self.min_length} 个字符，包含大写字母、小写字母、数字、符号中的至少 {self.min_classes} 类；"
            "不能使用常见密码。"
        )
