"""Classification heads (mmpretrain)."""
from .reused_teacher_head import ReusedTeacherClsHead

__all__ = ['ReusedTeacherClsHead']
