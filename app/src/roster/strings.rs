//! The roster's catalogue (RULES H1): compounds, buildings, units and households.

use crate::shell::i18n::strings;

strings! {
    /// The strings of the roster's pages.
    pub enum Roster {
        Compounds => ("小区", "Compounds"),
        NoCompounds => ("还没有小区，请在下面添加", "No compounds yet; add one below"),
        AddCompound => ("添加小区", "Add compound"),
        CompoundName => ("小区名称", "Compound name"),
        Address => ("地址", "Address"),
        YearBuilt => ("建成年份", "Year built"),
        CompoundNotFound => ("找不到该小区", "This compound was not found"),
        Buildings => ("楼栋", "Buildings"),
        NoBuildings => ("还没有楼栋", "No buildings yet"),
        AddBuilding => ("添加楼栋", "Add building"),
        BuildingName => ("楼栋名称", "Building name"),
        UnitName => ("单元名称", "Unit name"),
        AddUnit => ("添加单元", "Add unit"),
        NoUnits => ("还没有单元", "No units yet"),
        Door => ("门牌号", "Door number"),
        Area => ("建筑面积（平方米）", "Floor area (m²)"),
        Owners => ("业主人数", "Number of owners"),
        AddHousehold => ("添加住户", "Add household"),
        NoHouseholds => ("还没有住户", "No households yet"),
        SqM => ("平方米", "m²"),
        // What a change is called in the refused list ("住户 101").
        OpCompound => ("小区", "Compound"),
        OpBuilding => ("楼栋", "Building"),
        OpUnit => ("单元", "Unit"),
        OpHousehold => ("住户", "Household"),
    }
}
