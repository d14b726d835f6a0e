"""Reference tables. Loaded from files shipped in the repository; never edited by users."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Float, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.core.extensions import Base


class Stadsdeel(Base):
    __tablename__ = "stadsdelen"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)

    wijken: Mapped[list[Wijk]] = relationship(back_populates="stadsdeel", order_by="Wijk.name")


class Wijk(Base):
    __tablename__ = "wijken"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    stadsdeel_id: Mapped[int] = mapped_column(ForeignKey("stadsdelen.id"), index=True)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    inhabitants: Mapped[int] = mapped_column(Integer)

    stadsdeel: Mapped[Stadsdeel] = relationship(back_populates="wijken")
    buurten: Mapped[list[Buurt]] = relationship(back_populates="wijk", order_by="Buurt.name")

    @property
    def public_key(self) -> str:
        """How forms and URLs name a wijk: its CBS code."""
        return self.code


class Buurt(Base):
    __tablename__ = "buurten"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    wijk_id: Mapped[int] = mapped_column(ForeignKey("wijken.id"), index=True)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)

    wijk: Mapped[Wijk] = relationship(back_populates="buurten")


class PostcodeArea(Base):
    """A PC4 and a wijk it covers, with the estimated number of addresses there."""

    __tablename__ = "postcode_areas"

    pc4: Mapped[str] = mapped_column(String(4), primary_key=True)
    wijk_id: Mapped[int] = mapped_column(ForeignKey("wijken.id"), primary_key=True)
    weight: Mapped[float] = mapped_column(Float)

    wijk: Mapped[Wijk] = relationship()


category_goals = Table(
    "category_goals",
    Base.metadata,
    Column("category_key", ForeignKey("categories.key"), primary_key=True),
    Column("goal_id", ForeignKey("goals.id"), primary_key=True),
)


class Goal(Base):
    __tablename__ = "goals"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    name_nl: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))

    def name(self, locale: str) -> str:
        return self.name_en if locale == "en" else self.name_nl


class Category(Base):
    __tablename__ = "categories"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    name_nl: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(Integer, default=0)
    requires_screening: Mapped[bool] = mapped_column(Boolean, default=False)

    goals: Mapped[list[Goal]] = relationship(secondary=category_goals, order_by="Goal.id")

    def name(self, locale: str) -> str:
        return self.name_en if locale == "en" else self.name_nl
