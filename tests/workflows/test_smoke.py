def test_agency_is_provisioned(agency_a, staff_a):
    assert agency_a.live
    assert agency_a.get_children().count() == 3
